"""Take README screenshots of real screens with headless Chromium.

    python scripts/screenshots.py --url http://localhost:8069 --db service_quality \
        --out docs/screenshots

Logs in over JSON-RPC, hands the session cookie to Chromium through the
DevTools protocol and captures each page once the web client is idle.
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

PAGES = [
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


class Chrome:
    def __init__(self, width, height):
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
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                targets = requests.get("http://127.0.0.1:9333/json", timeout=1).json()
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="service_quality")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument(
        "--only", nargs="+", metavar="FILE", help="take only these pages (file names of PAGES)"
    )
    args = parser.parse_args()
    pages = [page for page in PAGES if not args.only or page[0] in args.only]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    session, uid = login(args.url, args.db, args.user, args.password)
    chrome = Chrome(1440, 900)
    try:
        chrome.call("Network.enable")
        host = args.url.split("//", 1)[1].split(":")[0]
        chrome.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain=host,
            path="/",
        )
        for name, path, lang in pages:
            set_lang(session, args.url, uid, lang)
            chrome.call("Page.navigate", url=args.url + path)
            ready = False
            for _ in range(120):
                time.sleep(0.5)
                res = chrome.call(
                    "Runtime.evaluate",
                    expression="!!(window.odoo && odoo.isReady && "
                    "document.querySelector('.o_action_manager .o_view_controller') && "
                    "!document.querySelector('.o_loading_indicator, .o-mail-Thread-loading'))",
                )
                if res.get("result", {}).get("value") is True:
                    ready = True
                    break
            time.sleep(1.5)
            shot = chrome.call("Page.captureScreenshot", format="png")
            (out / name).write_bytes(base64.b64decode(shot["data"]))
            print(("ok   " if ready else "late ") + str(out / name))
        set_lang(session, args.url, uid, "en_US")
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
