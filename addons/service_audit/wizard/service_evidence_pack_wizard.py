from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceEvidencePackWizard(models.TransientModel):
    """Prints the evidence pack of a standard for a period: per clause, the
    controls enforcing it, its figures and sample records."""

    _name = "service.evidence.pack.wizard"
    _description = "Evidence Pack"

    standard_id = fields.Many2one("service.standard", required=True)
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
        - relativedelta(years=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
        - relativedelta(days=1),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    lang = fields.Selection(
        "_get_languages",
        string="Language",
        required=True,
        default=lambda self: self._default_lang(),
    )

    @api.model
    def _get_languages(self):
        return self.env["res.lang"].get_installed()

    @api.model
    def _default_lang(self):
        """The language of the context, else the user's, if installed."""
        installed = [code for code, _name in self._get_languages()]
        for lang in (self.env.lang, self.env.user.lang):
            if lang in installed:
                return lang
        return installed[0] if installed else False

    @api.constrains("company_id")
    def _check_company_allowed(self):
        if self.env.su:
            return
        allowed = self.env.user.company_ids
        for wizard in self:
            if wizard.company_id not in allowed:
                raise ValidationError(
                    _(
                        "Evidence pack of %(standard)s: you are not allowed in company "
                        "%(company)s, so you cannot print its evidence.",
                        standard=wizard.standard_id.display_name,
                        # sudo: names the company asked for, which the user cannot read
                        company=wizard.company_id.sudo().name,
                    )
                )

    def action_print(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(
                _(
                    "Evidence pack of %(standard)s: the period ends before it starts.",
                    standard=self.standard_id.display_name,
                )
            )
        if not self.standard_id.clause_ids:
            raise UserError(
                _("Standard %(standard)s has no clause.", standard=self.standard_id.display_name)
            )
        return self.env.ref("service_audit.action_report_evidence_pack").report_action(self)

    def _get_pack(self):
        """Clauses of the standard with their figures for the period."""
        self.ensure_one()
        clauses = self.standard_id.clause_ids
        figures = clauses._evidence_figures(self.company_id, self.date_from, self.date_to)
        return [{"clause": clause, "figures": figures[clause.id]} for clause in clauses]
