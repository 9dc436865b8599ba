"""Take README screenshots of real screens with headless Chromium.

    python scripts/screenshots.py --url http://localhost:8069 --db service_quality \
        --out docs/screenshots

Logs in over JSON-RPC, hands the session cookie to Chromium through the
DevTools protocol and captures each page once the web client is idle.
A page may name options: ``size`` (width, height) of the window, e.g. a
390 x 844 phone; ``login`` (login, password) of the user who looks at it
(default: ``--user``); ``frontend`` for portal and public pages (ready once
the page has loaded, no web client); ``public`` for a visitor who is not
logged in (a signed link of an email: ``${token:module.xml_id}`` in the path
gives the record's access token); ``setup`` a JavaScript expression run
once the page is ready (e.g. open a tab) before the capture; ``tz`` the
browser's time zone (the web client shows times in it), Asia/Shanghai by
default as for the demo users.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests
import websocket

# opens the Assessment tab (warranty and quote lines) of a service order form
OPEN_ASSESSMENT_TAB = (
    "(() => { const tab = document.querySelector('.o_notebook .nav-link[name=assessment]');"
    " tab?.click(); setTimeout(() => tab?.scrollIntoView({block: 'start'}), 300); })()"
)

PAGES = [
    (
        "emergency_plan_form.png",
        "/odoo/action-service_quality.service_emergency_plan_action/"
        "${ref:service_quality.emergency_plan_glass_demo}",
        "en_US",
        {
            "login": ("sq.lin.demo@example.com", "demo"),
            "setup": "document.querySelector('a.nav-link[name=resources]').click()",
        },
    ),
    (
        "emergency_plan_form_zh.png",
        "/odoo/action-service_quality.service_emergency_plan_action/"
        "${ref:service_quality.emergency_plan_glass_demo}",
        "zh_CN",
        {
            "login": ("sq.lin.demo@example.com", "demo"),
            "setup": "document.querySelector('a.nav-link[name=resources]').click()",
        },
    ),
    (
        "emergency_drill_form.png",
        "/odoo/action-service_quality.service_emergency_drill_action/"
        "${ref:service_quality.emergency_drill_glass_demo}",
        "en_US",
        {
            "login": ("sq.guo.demo@example.com", "demo"),
            "setup": "document.querySelector('a.nav-link[name=corrective_actions]').click()",
        },
    ),
    (
        "emergency_drill_form_zh.png",
        "/odoo/action-service_quality.service_emergency_drill_action/"
        "${ref:service_quality.emergency_drill_glass_demo}",
        "zh_CN",
        {
            "login": ("sq.guo.demo@example.com", "demo"),
            "setup": "document.querySelector('a.nav-link[name=corrective_actions]').click()",
        },
    ),
    (
        "emergency_order_form_zh.png",
        "/odoo/action-service_quality.service_order_action_emergency/"
        "${ref:service_quality.service_order_emergency_demo}",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "contract_review_form.png",
        "/odoo/action-service_contract.service_contract_plan_review_action/"
        "${ref:service_contract.contract_plan_review_deco_demo}",
        "en_US",
        {},
    ),
    (
        "contract_review_form_zh.png",
        "/odoo/action-service_contract.service_contract_plan_review_action/"
        "${ref:service_contract.contract_plan_review_deco_demo}",
        "zh_CN",
        {},
    ),
    (
        "customer_notifications.png",
        "/odoo/action-service_quality.service_customer_notification_action",
        "en_US",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "customer_notifications_zh.png",
        "/odoo/action-service_quality.service_customer_notification_action",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "notification_settings.png",
        "/odoo/action-service_quality.service_quality_settings_action",
        "en_US",
        {},
    ),
    (
        "notification_settings_zh.png",
        "/odoo/action-service_quality.service_quality_settings_action",
        "zh_CN",
        {},
    ),
    (
        "emergency_order_form.png",
        "/odoo/action-service_quality.service_order_action_emergency/"
        "${ref:service_quality.service_order_emergency_demo}",
        "en_US",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "emergency_orders_kanban_zh.png",
        "/odoo/action-service_quality.service_order_action_emergency",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "contract_form.png",
        "/odoo/action-service_contract.service_contract_action/"
        "${ref:service_contract.contract_deco_demo}",
        "en_US",
    ),
    (
        "contract_form_zh.png",
        "/odoo/action-service_contract.service_contract_action/"
        "${ref:service_contract.contract_deco_demo}",
        "zh_CN",
    ),
    (
        "contract_plan_form.png",
        "/odoo/action-service_contract.service_contract_plan_action/"
        "${ref:service_contract.contract_plan_deco_demo}",
        "en_US",
    ),
    (
        "contract_plan_form_zh.png",
        "/odoo/action-service_contract.service_contract_plan_action/"
        "${ref:service_contract.contract_plan_deco_demo}",
        "zh_CN",
    ),
    # (file name, path, language)
    ("service_orders_list.png", "/odoo/action-service_quality.service_order_action", "en_US"),
    ("service_order_form.png", "/odoo/action-service_quality.service_order_action/20", "en_US"),
    (
        "service_orders_calendar_zh.png",
        "/odoo/action-service_quality.service_order_action_calendar",
        "zh_CN",
    ),
    ("complaint_ledger.png", "/odoo/action-service_quality.service_complaint_action", "en_US"),
    ("kpi_report.png", "/odoo/action-service_quality.service_kpi_report_action", "en_US"),
    (
        "certifications_zh.png",
        "/odoo/action-service_training.training_certification_action",
        "zh_CN",
    ),
    ("tool_register.png", "/odoo/action-equipment_care.maintenance_equipment_action_tool", "en_US"),
    (
        "retention_policies.png",
        "/odoo/action-service_quality.service_retention_policy_action",
        "en_US",
    ),
    ("service_dashboard.png", "/odoo/action-service_quality.service_dashboard_action", "en_US"),
    ("service_dashboard_zh.png", "/odoo/action-service_quality.service_dashboard_action", "zh_CN"),
    (
        "tool_form.png",
        "/odoo/action-equipment_care.maintenance_equipment_action_tool/"
        "${ref:equipment_care.equipment_multimeter_demo}",
        "en_US",
    ),
    (
        "tool_register_zh.png",
        "/odoo/action-equipment_care.maintenance_equipment_action_tool",
        "zh_CN",
    ),
    # the certification cycle as the quality manager (en and zh_CN)
    *(
        (f"{name}{suffix}.png", path, lang, {"login": ("sq.lin.demo@example.com", "demo")})
        for name, path in (
            ("cert_objectives", "/odoo/action-service_audit.service_objective_action"),
            ("cert_clauses", "/odoo/action-service_audit.service_standard_clause_action"),
            (
                "cert_clause_form",
                "/odoo/action-service_audit.service_standard_clause_action/"
                "${ref:service_audit.clause_m_response}",
            ),
            (
                "cert_self_assessment",
                "/odoo/action-service_audit.service_self_assessment_action/"
                "${ref:service_audit.self_assessment_demo}",
            ),
            (
                "cert_management_review",
                "/odoo/action-service_audit.service_management_review_action/"
                "${ref:service_audit.management_review_demo}",
            ),
            ("cert_rewards_penalties", "/odoo/action-service_audit.service_reward_penalty_action"),
            ("cert_compensation", "/odoo/action-service_audit.service_compensation_action"),
            ("cert_cadence_gaps", "/odoo/action-service_training.training_cadence_gap_action"),
        )
        for lang, suffix in (("en_US", ""), ("zh_CN", "_zh"))
    ),
    ("quality_objectives.png", "/odoo/action-service_audit.service_objective_action", "en_US"),
    (
        "clause_coverage_zh.png",
        "/odoo/action-service_audit.service_standard_clause_action",
        "zh_CN",
    ),
    (
        "management_review.png",
        "/odoo/action-service_audit.service_management_review_action/"
        "${ref:service_audit.management_review_demo}",
        "en_US",
    ),
    (
        "user_roles.png",
        "/odoo/action-base.action_res_users/${ref:service_quality.user_guo_demo}",
        "en_US",
        {"setup": "document.querySelector('a.nav-link[name=access_rights]').click()"},
    ),
    (
        "user_roles_zh.png",
        "/odoo/action-base.action_res_users/${ref:service_quality.user_guo_demo}",
        "zh_CN",
        {"setup": "document.querySelector('a.nav-link[name=access_rights]').click()"},
    ),
    (
        "feedback_stars.png",
        "/odoo/action-service_quality.service_feedback_action/new",
        "en_US",
    ),
    (
        "reopen_wizard.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_27_demo}",
        "en_US",
        {
            "login": ("sq.lin.demo@example.com", "demo"),
            "setup": "document.querySelector('button[name=action_open_reopen_wizard]').click()",
        },
    ),
    (
        "reopen_wizard_zh.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_27_demo}",
        "zh_CN",
        {
            "login": ("sq.lin.demo@example.com", "demo"),
            "setup": "document.querySelector('button[name=action_open_reopen_wizard]').click()",
        },
    ),
    (
        "legal_hold_wizard.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_27_demo}",
        "en_US",
        {
            "login": ("sq.lin.demo@example.com", "demo"),
            "setup": "document.querySelector('button[name=action_open_legal_hold_wizard]').click()",
        },
    ),
    (
        "legal_hold_wizard_zh.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_27_demo}",
        "zh_CN",
        {
            "login": ("sq.lin.demo@example.com", "demo"),
            "setup": "document.querySelector('button[name=action_open_legal_hold_wizard]').click()",
        },
    ),
    (
        "legal_hold_state.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_archived_demo}",
        "en_US",
        {"login": ("sq.zhao.demo@example.com", "demo")},
    ),
    (
        "legal_hold_state_zh.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_archived_demo}",
        "zh_CN",
        {"login": ("sq.zhao.demo@example.com", "demo")},
    ),
    (
        "borrowing_request.png",
        "/odoo/action-service_quality.service_records_borrowing_action/"
        "${ref:service_quality.records_borrowing_demo}",
        "en_US",
        {"login": ("sq.zhao.demo@example.com", "demo")},
    ),
    (
        "borrowing_request_zh.png",
        "/odoo/action-service_quality.service_records_borrowing_action/"
        "${ref:service_quality.records_borrowing_demo}",
        "zh_CN",
        {"login": ("sq.zhao.demo@example.com", "demo")},
    ),
    (
        "installed_product_form.png",
        "/odoo/action-service_installed_base.service_installed_product_action/"
        "${ref:service_installed_base.installed_washer_yang_demo}",
        "en_US",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "installed_product_form_zh.png",
        "/odoo/action-service_installed_base.service_installed_product_action/"
        "${ref:service_installed_base.installed_ac_wu_demo}",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "service_order_quote.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_09_demo}",
        "en_US",
        {"login": ("sq.guo.demo@example.com", "demo"), "setup": OPEN_ASSESSMENT_TAB},
    ),
    (
        "service_order_quote_zh.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_09_demo}",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo"), "setup": OPEN_ASSESSMENT_TAB},
    ),
    (
        "service_quote_form.png",
        "/odoo/action-service_sale.service_quote_action/${ref:service_sale.quote_order_09_v2_demo}",
        "en_US",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "service_quote_form_zh.png",
        "/odoo/action-service_sale.service_quote_action/${ref:service_sale.quote_order_26_demo}",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo")},
    ),
    (
        "service_order_invoiced.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_23_demo}",
        "en_US",
        {"login": ("sq.guo.demo@example.com", "demo"), "setup": OPEN_ASSESSMENT_TAB},
    ),
    (
        "service_order_invoiced_zh.png",
        "/odoo/action-service_quality.service_order_action/"
        "${ref:service_quality.service_order_23_demo}",
        "zh_CN",
        {"login": ("sq.guo.demo@example.com", "demo"), "setup": OPEN_ASSESSMENT_TAB},
    ),
    (
        "portal_quote_acceptance.png",
        "/my/service_orders/${ref:service_quality.service_order_09_demo}"
        "?access_token=${token:service_quality.service_order_09_demo}#service_quote",
        "en_US",
        {"public": True, "frontend": True},
    ),
    (
        "portal_quote_acceptance_zh.png",
        "/zh_CN/my/service_orders/${ref:service_quality.service_order_09_demo}"
        "?access_token=${token:service_quality.service_order_09_demo}#service_quote",
        "zh_CN",
        {"public": True, "frontend": True},
    ),
    (
        "revenue_warranty_report.png",
        "/odoo/action-service_sale.service_sale_report_action",
        "en_US",
        {"login": ("sq.lin.demo@example.com", "demo")},
    ),
    (
        "revenue_warranty_report_zh.png",
        "/odoo/action-service_sale.service_sale_report_action",
        "zh_CN",
        {"login": ("sq.lin.demo@example.com", "demo")},
    ),
    (
        "parts_order_form.png",
        "/odoo/action-service_quality.service_order_action/${ref:service_parts.service_order_van_tomorrow_demo}",
        "en_US",
        {
            "login": ("sq.guo.demo@example.com", "demo"),
            "setup": "document.querySelector('a[name=spare_parts]').click();"
            "setTimeout(() => document.querySelector('.o_notebook').scrollIntoView(), 300)",
        },
    ),
    (
        "parts_order_form_zh.png",
        "/odoo/action-service_quality.service_order_action/${ref:service_parts.service_order_van_tomorrow_demo}",
        "zh_CN",
        {
            "login": ("sq.guo.demo@example.com", "demo"),
            "setup": "document.querySelector('a[name=spare_parts]').click();"
            "setTimeout(() => document.querySelector('.o_notebook').scrollIntoView(), 300)",
        },
    ),
    (
        "parts_transfers.png",
        "/odoo/action-service_parts.stock_picking_action_service_parts",
        "en_US",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_transfers_zh.png",
        "/odoo/action-service_parts.stock_picking_action_service_parts",
        "zh_CN",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_vans.png",
        "/odoo/action-service_parts.stock_location_action_van",
        "en_US",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_vans_zh.png",
        "/odoo/action-service_parts.stock_location_action_van",
        "zh_CN",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_van_stock.png",
        "/odoo/action-service_parts.stock_location_action_van/${ref:service_parts.stock_location_van_sun_demo}",
        "en_US",
        {
            "login": ("sq.qian.demo@example.com", "demo"),
            "setup": "document.querySelector('button[name=action_count_van_stock]').click()",
        },
    ),
    (
        "parts_van_stock_zh.png",
        "/odoo/action-service_parts.stock_location_action_van/${ref:service_parts.stock_location_van_sun_demo}",
        "zh_CN",
        {
            "login": ("sq.qian.demo@example.com", "demo"),
            "setup": "document.querySelector('button[name=action_count_van_stock]').click()",
        },
    ),
    (
        "parts_agenda.png",
        "/odoo/action-service_quality.service_order_action_agenda",
        "en_US",
        {"login": ("sq.sun.demo@example.com", "demo")},
    ),
    (
        "parts_agenda_zh.png",
        "/odoo/action-service_quality.service_order_action_agenda",
        "zh_CN",
        {"login": ("sq.sun.demo@example.com", "demo")},
    ),
    (
        "parts_forecast.png",
        "/odoo/action-service_parts.service_parts_forecast_action",
        "en_US",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_forecast_zh.png",
        "/odoo/action-service_parts.service_parts_forecast_action",
        "zh_CN",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_supplier_evaluation.png",
        "/odoo/action-service_parts.service_supplier_evaluation_action/${ref:service_parts.supplier_evaluation_ningbo_demo}",
        "en_US",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_supplier_evaluation_zh.png",
        "/odoo/action-service_parts.service_supplier_evaluation_action/${ref:service_parts.supplier_evaluation_ningbo_demo}",
        "zh_CN",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_inspection.png",
        "/odoo/action-service_parts.service_parts_inspection_action/${ref:service_parts.parts_inspection_failed_demo}",
        "en_US",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    (
        "parts_inspection_zh.png",
        "/odoo/action-service_parts.service_parts_inspection_action/${ref:service_parts.parts_inspection_failed_demo}",
        "zh_CN",
        {"login": ("sq.qian.demo@example.com", "demo")},
    ),
    ("portal_home.png", "/my", "en_US", {"login": ("portal", "portal"), "frontend": True}),
    (
        "portal_request_zh.png",
        "/my/service_orders/new",
        "zh_CN",
        {"login": ("portal", "portal"), "frontend": True},
    ),
    (
        "technician_agenda_phone.png",
        "/odoo/action-service_quality.service_order_action_agenda",
        "en_US",
        {"login": ("sq.liu.demo@example.com", "demo"), "size": (390, 844)},
    ),
    (
        "technician_order_phone_zh.png",
        "/odoo/action-service_quality.service_order_action_agenda/"
        "${ref:service_quality.service_order_agenda_today_demo}",
        "zh_CN",
        {"login": ("sq.liu.demo@example.com", "demo"), "size": (390, 844)},
    ),
]


def login(url, db, user, password):
    session = requests.Session()
    resp = session.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": password}},
        timeout=60,
    )
    resp.raise_for_status()
    uid = resp.json()["result"]["uid"]
    return session, uid


def set_lang(session, url, uid, lang):
    session.post(
        f"{url}/web/dataset/call_kw/res.users/write",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": "res.users",
                "method": "write",
                "args": [[uid], {"lang": lang}],
                "kwargs": {},
            },
        },
        timeout=60,
    ).raise_for_status()


def ref_id(session, url, module, name):
    resp = session.post(
        f"{url}/web/dataset/call_kw/ir.model.data/search_read",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": "ir.model.data",
                "method": "search_read",
                "args": [[("module", "=", module), ("name", "=", name)], ["res_id"]],
                "kwargs": {},
            },
        },
        timeout=60,
    )
    resp.raise_for_status()
    return resp.json()["result"][0]["res_id"]


def access_token(session, url, module, name):
    """Portal access token of the record ``module.name`` (the signed link of
    the emails)."""

    def call(model, method, args):
        resp = session.post(
            f"{url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "params": {"model": model, "method": method, "args": args, "kwargs": {}},
            },
            timeout=60,
        )
        resp.raise_for_status()
        return resp.json()["result"]

    data = call(
        "ir.model.data",
        "search_read",
        [[("module", "=", module), ("name", "=", name)], ["model", "res_id"]],
    )[0]
    return call(data["model"], "read", [[data["res_id"]], ["access_token"]])[0]["access_token"]


def resolve(session, url, path):
    """Replace ``${ref:module.xml_id}`` in ``path`` by the record's id and
    ``${token:module.xml_id}`` by its portal access token."""
    while "${token:" in path:
        start = path.index("${token:")
        end = path.index("}", start)
        module, name = path[start + 8 : end].split(".", 1)
        path = path[:start] + access_token(session, url, module, name) + path[end + 1 :]
    while "${ref:" in path:
        start = path.index("${ref:")
        end = path.index("}", start)
        xmlid = path[start + 6 : end]
        module, name = xmlid.split(".", 1)
        resp = session.post(
            f"{url}/web/dataset/call_kw/ir.model.data/check_object_reference",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "ir.model.data",
                    "method": "check_object_reference",
                    "args": [module, name],
                    "kwargs": {},
                },
            },
            timeout=60,
        )
        resp.raise_for_status()
        res_id = resp.json()["result"][1]
        if not res_id:
            # archived records are not found by check_object_reference
            res_id = ref_id(session, url, module, name)
        path = path[:start] + str(res_id) + path[end + 1 :]
    return path


class Chrome:
    def __init__(self, width, height, port=9333):
        self.profile = tempfile.mkdtemp(prefix="sq_shots_")
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=1).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                return msg.get("result", {})

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def wait_ready(chrome, frontend):
    """Wait until the web client (or a portal page) is idle; False if it never is."""
    expression = (
        "document.readyState === 'complete' && !!document.querySelector('#wrapwrap') && "
        "!document.querySelector('.o_portal_doc_spinner')"
        if frontend
        else "!!(window.odoo && odoo.isReady && "
        "document.querySelector('.o_action_manager .o_view_controller, "
        ".o_action_manager .o_action') && "
        "!document.querySelector('.o_loading_indicator, .o-mail-Thread-loading'))"
    )
    for _ in range(120):
        time.sleep(0.5)
        res = chrome.call("Runtime.evaluate", expression=expression)
        if res.get("result", {}).get("value") is True:
            return True
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="service_quality")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--devtools-port", type=int, default=9333)
    parser.add_argument(
        "--only", nargs="+", metavar="FILE", help="take only these pages (file names of PAGES)"
    )
    args = parser.parse_args()
    pages = [page for page in PAGES if not args.only or page[0] in args.only]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    host = args.url.split("//", 1)[1].split(":")[0]
    sessions = {}
    chrome = Chrome(1440, 900, args.devtools_port)
    try:
        chrome.call("Network.enable")
        for name, path, lang, *extra in pages:
            options = extra[0] if extra else {}
            login_pw = options.get("login", (args.user, args.password))
            if login_pw not in sessions:
                sessions[login_pw] = login(args.url, args.db, *login_pw)
            session, uid = sessions[login_pw]
            if options.get("frontend"):
                # the portal takes its language from the session: log in again
                set_lang(session, args.url, uid, lang)
                sessions[login_pw] = session, uid = login(args.url, args.db, *login_pw)
            width, height = options.get("size", (1440, 900))
            chrome.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=2 if width < 800 else 1,
                mobile=width < 800,
            )
            chrome.call(
                "Emulation.setTimezoneOverride", timezoneId=options.get("tz", "Asia/Shanghai")
            )
            chrome.call("Network.clearBrowserCookies")
            if options.get("public"):
                # a visitor without login (the signed link of an email), in
                # the language the page is asked in
                chrome.call(
                    "Network.setCookie", name="frontend_lang", value=lang, domain=host, path="/"
                )
            else:
                chrome.call(
                    "Network.setCookie",
                    name="session_id",
                    value=session.cookies["session_id"],
                    domain=host,
                    path="/",
                )
            set_lang(session, args.url, uid, lang)
            # xml ids resolved as the --user (any record, archived ones included)
            admin = (args.user, args.password)
            if admin not in sessions:
                sessions[admin] = login(args.url, args.db, *admin)
            target = resolve(sessions[admin][0], args.url, path)
            chrome.call("Page.navigate", url=args.url + target)
            ready = wait_ready(chrome, options.get("frontend"))
            if options.get("setup"):
                chrome.call("Runtime.evaluate", expression=options["setup"])
                time.sleep(1)
            time.sleep(1.5)
            shot = chrome.call("Page.captureScreenshot", format="png")
            (out / name).write_bytes(base64.b64decode(shot["data"]))
            print(("ok   " if ready else "late ") + str(out / name))
        for session, uid in sessions.values():
            set_lang(session, args.url, uid, "en_US")
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
