"""Training hours count only finished sessions: attendances of sessions
that are not done keep no hours (the stored compute now depends on the
session's state)."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE training_attendance a
                  SET hours = 0
                 FROM training_session s
                WHERE s.id = a.session_id AND s.state != 'done' AND a.hours != 0"""
        )
    )
