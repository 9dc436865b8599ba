"""Archivists change archived orders and complaints only.

The record rules are ``noupdate``: on an existing database, take archivists
out of the "see all" rules of dispatchers and inspectors (they now have
their own read and archived-only write rules, loaded before this script) and
make the technicians' complaint rule read-only, so the new archivist write
access on complaints cannot reach active ones."""

from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    archivist = env.ref("service_quality.group_archivist")
    for xmlid in (
        "service_quality.service_order_rule_dispatcher",
        "service_quality.service_complaint_rule_dispatcher",
    ):
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.groups = [Command.unlink(archivist.id)]
    rule = env.ref("service_quality.service_complaint_rule_technician", raise_if_not_found=False)
    if rule:
        rule.write({"perm_write": False, "perm_create": False, "perm_unlink": False})
