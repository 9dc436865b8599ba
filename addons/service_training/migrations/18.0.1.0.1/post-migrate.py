"""Archivists change archived certifications only.

The record rules are ``noupdate``: on an existing database, make the
employees' "own certifications" rule read-only, so the new archivist write
access cannot reach an archivist's own active certificates."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(
        "service_training.training_certification_rule_employee", raise_if_not_found=False
    )
    if rule:
        rule.write({"perm_write": False, "perm_create": False, "perm_unlink": False})
