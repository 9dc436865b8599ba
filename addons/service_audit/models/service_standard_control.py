from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceStandardControl(models.Model):
    """A control of the product that enforces clauses: a rule in the code
    (the certified-to-work check), a scheduled job (the SLA job), a policy
    (the retention policy of equipment files), an automated action... It
    points at the record that implements it by XML id, so the auditor can
    open it."""

    _name = "service.standard.control"
    _description = "Control"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [
            ("rule", "Rule in the Workflow"),
            ("job", "Scheduled Job"),
            ("policy", "Policy"),
            ("automation", "Automated Action"),
            ("report", "Report"),
            ("procedure", "Manual Procedure"),
        ],
        required=True,
        default="rule",
    )
    description = fields.Text(translate=True, help="How the product enforces the clause.")
    xml_ref = fields.Char(
        string="Implemented By",
        help="XML id of the record implementing the control, e.g. "
        "service_quality.ir_cron_service_order_sla",
    )
    record_name = fields.Char(compute="_compute_record_name")
    clause_ids = fields.Many2many(
        "service.standard.clause",
        "service_standard_clause_control_rel",
        "control_id",
        "clause_id",
        string="Clauses",
    )

    @api.depends("xml_ref")
    @api.depends_context("lang")
    def _compute_record_name(self):
        for control in self:
            record = control._implementing_record()
            control.record_name = record.sudo().display_name if record else False

    @api.constrains("xml_ref")
    def _check_xml_ref(self):
        for control in self:
            if control.xml_ref and not control._implementing_record():
                raise ValidationError(
                    _(
                        "Control %(name)s: no record has the XML id %(ref)s.",
                        name=control.name,
                        ref=control.xml_ref,
                    )
                )

    def _implementing_record(self):
        self.ensure_one()
        if not self.xml_ref or "." not in self.xml_ref:
            return None
        return self.env.ref(self.xml_ref, raise_if_not_found=False)

    def action_open_record(self):
        self.ensure_one()
        record = self._implementing_record()
        if not record:
            raise UserError(
                _("Control %(name)s is not linked to a record of the product.", name=self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
