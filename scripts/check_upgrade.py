"""Upgrade and uninstall safety of the addons (used by check_upgrade.sh).

    python scripts/check_upgrade.py count --db DB --out counts.json
    python scripts/check_upgrade.py compare --db DB --before counts.json
    python scripts/check_upgrade.py uninstall --db DB

``count`` records the number of rows of every model of our addons (models
whose ``ir.model`` row carries an xml id of one of our modules, counted in
SQL so archived and rule-hidden rows count too) and of our modules' xml ids
per model. ``compare`` counts again and reports one check per figure.
``uninstall`` uninstalls service_contract, service_sale, service_installed_base, service_parts,
service_audit, equipment_care, service_training and
service_quality in that order with ``button_immediate_uninstall`` and checks
each is gone (state, xml ids, tables of the models it defined) and that no
module other than ours was uninstalled with it.

Each sub-command prints ``PASSED <check>`` / ``FAILED <check>: <detail>``
lines and exits non-zero when a check failed.
"""

import argparse
import json
import os
import sys
import traceback

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
sys.path.insert(0, ODOO_PATH)

OUR_MODULES = (
    "service_quality",
    "service_training",
    "equipment_care",
    "service_installed_base",
    "service_sale",
    "service_audit",
    "service_parts",
    "service_contract",
)
# The test-only addon depends on every addon: it goes with the first one.
TEST_MODULES = ("test_service_suite",)
UNINSTALL_ORDER = (
    "service_contract",
    "service_sale",
    "service_installed_base",
    "service_parts",
    "service_audit",
    "equipment_care",
    "service_training",
    "service_quality",
)


def configure(args):
    import odoo
    from odoo.tools import config

    config.parse_config(
        [
            "-c",
            os.path.join(REPO_DIR, "odoo.conf"),
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
            f"--db_host={os.environ.get('PGHOST', 'localhost')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--db_user={os.environ.get('PGUSER', 'odoo')}",
            f"--db_password={os.environ.get('PGPASSWORD', 'odoo')}",
        ]
    )
    odoo.netsvc.init_logger()


def env_of(db):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {})


def count(env):
    """{label: rows} for every model of our addons and our xml ids."""
    from odoo.tools import SQL

    figures = {}
    data = env["ir.model.data"].search([("module", "in", OUR_MODULES), ("model", "=", "ir.model")])
    for model in sorted(
        set(env["ir.model"].browse(data.mapped("res_id")).exists().mapped("model"))
    ):
        if model not in env:
            continue
        Model = env[model]
        if Model._abstract or not Model._auto or Model._transient:
            continue
        env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(Model._table)))
        figures[f"rows of {model}"] = env.cr.fetchone()[0]
    env.cr.execute(
        SQL(
            "SELECT module, model, count(*) FROM ir_model_data WHERE module IN %s "
            "GROUP BY module, model ORDER BY module, model",
            OUR_MODULES,
        )
    )
    for module, model, n in env.cr.fetchall():
        figures[f"xml ids of {module} on {model}"] = n
    return figures


class Report:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print(f"PASSED {name}")
        else:
            self.failed += 1
            print(f"FAILED {name}{': ' + detail if detail else ''}")
        sys.stdout.flush()

    def exit_code(self):
        return 1 if self.failed else 0


def cmd_count(args, report):
    env = env_of(args.db)
    try:
        figures = count(env)
    finally:
        env.cr.close()
    with open(args.out, "w") as out:
        json.dump(figures, out, indent=1, sort_keys=True)
    total = sum(v for k, v in figures.items() if k.startswith("rows of "))
    report.check(bool(figures), f"counted {len(figures)} figures ({total} rows) in {args.db}")


def cmd_compare(args, report):
    with open(args.before) as before_file:
        before = json.load(before_file)
    env = env_of(args.db)
    try:
        after = count(env)
    finally:
        env.cr.close()
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if key.startswith("xml ids") and old is None:
            # New xml ids after the upgrade are fine (new data records);
            # lost ones are not.
            report.check(True, f"{key}: new ({new})")
            continue
        report.check(
            old == new if not key.startswith("xml ids") else (new or 0) >= old,
            f"{key} kept after -u ({old} -> {new})",
            f"was {old}, is {new}",
        )


def cmd_uninstall(args, report):
    for module in UNINSTALL_ORDER:
        env = env_of(args.db)
        try:
            mod = env["ir.module.module"].search([("name", "=", module)])
            if mod.state != "installed":
                report.check(False, f"uninstall {module}", f"it is {mod.state or 'unknown'}")
                continue
            installed_before = set(
                env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
            )
            data = env["ir.model.data"].search(
                [("module", "=", module), ("model", "=", "ir.model")]
            )
            own_models = [
                m.model
                for m in env["ir.model"].browse(data.mapped("res_id"))
                if m.modules == module and m.model in env and env[m.model]._auto
            ]
            own_tables = [env[m]._table for m in own_models]
            # Columns the module added to models of other modules (extensions).
            field_data = env["ir.model.data"].search(
                [("module", "=", module), ("model", "=", "ir.model.fields")]
            )
            own_columns = sorted(
                (env[f.model]._table, f.name)
                for f in env["ir.model.fields"].browse(field_data.mapped("res_id")).exists()
                if f.model not in own_models
                and f.model in env
                and f.store
                and f.ttype not in ("one2many", "many2many")
                and f.modules == module
            )
            try:
                mod.button_immediate_uninstall()
                env.cr.commit()
            except Exception:
                env.cr.rollback()
                report.check(False, f"uninstall {module}", traceback.format_exc(limit=5))
                continue
        finally:
            env.cr.close()
        env = env_of(args.db)
        try:
            state = env["ir.module.module"].search([("name", "=", module)]).state
            installed_after = set(
                env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
            )
            left = env["ir.model.data"].search([("module", "=", module)])
            # Records of other modules' models that Odoo kept because they are
            # still referenced (see check_upgrade.sh) keep their xml id; none
            # of the module's own models may keep one.
            own = set(own_models) | {"ir.model"}
            left_ids = len(left.filtered(lambda d, own=own: d.model in own))
            kept = sorted({d.model for d in left} - set(own_models) - {"ir.model"})
            env.cr.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_name IN %s",
                [tuple(own_tables) or ("",)],
            )
            left_tables = [r[0] for r in env.cr.fetchall()]
            env.cr.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE (table_name, column_name) IN %s",
                [tuple(own_columns) or (("", ""),)],
            )
            left_columns = sorted(f"{t}.{c}" for t, c in env.cr.fetchall())
        finally:
            env.cr.close()
        gone = sorted(installed_before - installed_after)
        report.check(state == "uninstalled", f"uninstall {module}: state uninstalled", state)
        report.check(
            set(gone) <= set(OUR_MODULES) | set(TEST_MODULES) | {module},
            f"uninstall {module}: only our modules removed",
            f"also removed {sorted(set(gone) - set(OUR_MODULES) - set(TEST_MODULES))}",
        )
        report.check(
            not left_ids,
            f"uninstall {module}: no xml id of its own models left"
            + (f" (records kept for foreign keys: {', '.join(kept)})" if kept else ""),
            f"{left_ids} left",
        )
        report.check(
            not left_tables,
            f"uninstall {module}: tables of its {len(own_tables)} model(s) dropped",
            f"left: {left_tables}",
        )
        report.check(
            not left_columns,
            f"uninstall {module}: {len(own_columns)} column(s) it added to other models dropped",
            f"left: {left_columns}",
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("count", "compare", "uninstall"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--out")
    parser.add_argument("--before")
    parser.add_argument(
        "--addons-path",
        default=os.environ.get("ADDONS_PATH")
        or ",".join(
            [
                os.path.join(ODOO_PATH, "odoo", "addons"),
                os.path.join(ODOO_PATH, "addons"),
                os.path.join(REPO_DIR, "addons"),
            ]
        ),
    )
    args = parser.parse_args(argv)
    configure(args)
    report = Report()
    {"count": cmd_count, "compare": cmd_compare, "uninstall": cmd_uninstall}[args.command](
        args, report
    )
    print(f"CHECK-RESULT {report.passed} {report.failed}")
    return report.exit_code()


if __name__ == "__main__":
    sys.exit(main())
