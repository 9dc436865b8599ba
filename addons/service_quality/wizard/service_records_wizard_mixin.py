import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceRecordsWizardMixin(models.AbstractModel):
    """A wizard that acts on records of another model: the target model and
    ids travel in ``res_model`` and ``res_ids`` (a JSON list, set by
    ``_records_wizard_action``); the target model must inherit
    ``_records_wizard_requires``."""

    _name = "service.records.wizard.mixin"
    _description = "Wizard on Records of Another Model"
    _records_wizard_requires = None  # name of the mixin the target model inherits

    res_model = fields.Char(string="Model", required=True)
    res_ids = fields.Char(string="Records", required=True)

    @api.constrains("res_model")
    def _check_res_model(self):
        for wizard in self:
            if wizard.res_model not in self.env or not isinstance(
                self.env[wizard.res_model], self.env.registry[self._records_wizard_requires]
            ):
                raise ValidationError(wizard._records_wizard_invalid_model_message())

    def _records_wizard_invalid_model_message(self):
        """Message of the error raised when ``res_model`` is not allowed."""
        return _("%(model)s records cannot be used here.", model=self.res_model)

    def _records_wizard_empty_message(self):
        """Message of the error raised when no record is left to act on."""
        return _("No record selected.")

    @api.model
    def _records_wizard_action(self, records, name):
        """Window action opening this wizard on ``records``."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": records._name, "default_res_ids": str(records.ids)},
        }

    def _records_wizard_records(self):
        """The existing target records; a UserError
        when ``res_ids`` is not a list of ids or none of them exists."""
        self.ensure_one()
        try:
            ids = json.loads(self.res_ids)
        except ValueError:
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise UserError(self._records_wizard_empty_message())
        records = self.env[self.res_model].browse(ids).exists()
        if not records:
            raise UserError(self._records_wizard_empty_message())
        return records
