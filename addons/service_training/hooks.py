from odoo.tools import SQL, split_every

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# The module's own models, records that point to others first.
OWN_MODELS = (
    "training.cadence.gap",
    "training.cadence.rule",
    "training.evaluation",
    "training.assessment",
    "training.certification",
    "training.attendance",
    "training.plan.line",
    "training.plan",
    "training.session",
    "training.course",
    "training.certification.type",
)
UNINSTALL_BATCH = 1000


def uninstall_hook(env):
    """Delete the training records created at run time (certificates
    granted by a finished session, sessions of a shipped course, ...) before
    Odoo removes the module's data.

    Odoo only deletes records that carry one of the module's xml ids. A
    record without one that still points to a shipped record through a
    required field (a certificate of the shipped "Refrigerant Handling"
    type) makes that deletion fail; the shipped record is then probed again
    after its table was dropped, which logs an SQL error. The tables are
    dropped by the uninstall anyway, so nothing is lost by deleting their
    rows first, in dependency order, through the ORM (messages, activities
    and followers go with them)."""
    env = env(
        su=True,
        context=dict(
            env.context, active_test=False, tracking_disable=True, **{MODULE_UNINSTALL_FLAG: True}
        ),
    )
    for model_name in OWN_MODELS:
        model = env[model_name]
        env.flush_all()
        env.cr.execute(
            SQL(
                "SELECT id FROM %s t WHERE NOT EXISTS (SELECT 1 FROM ir_model_data d "
                "WHERE d.module = %s AND d.model = %s AND d.res_id = t.id) ORDER BY id",
                SQL.identifier(model._table),
                "service_training",
                model_name,
            )
        )
        ids = [row[0] for row in env.cr.fetchall()]
        for batch in split_every(UNINSTALL_BATCH, ids):
            model.browse(batch).unlink()
            env.invalidate_all()
