from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .service_objective import KPI_SELECTION


class ServiceStandardEvidence(models.Model):
    """What proves a clause for a period: the records of a model in the
    period (counted, with samples an auditor can ask for) and/or a figure of
    the KPI report."""

    _name = "service.standard.evidence"
    _description = "Clause Evidence"
    _order = "clause_id, sequence, id"

    clause_id = fields.Many2one(
        "service.standard.clause", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    model_name = fields.Selection(
        selection="_selection_models", string="Records", help="The records that prove the clause."
    )
    domain = fields.Char(default="[]", help="Which records of the model count.")
    date_field = fields.Char(
        help="Field that dates a record in a period (e.g. received_at); "
        "without it every matching record counts."
    )
    kpi = fields.Selection(KPI_SELECTION, string="KPI Figure")
    sample_size = fields.Integer(default=5, help="Sample records printed in the evidence pack.")

    @api.model
    def _selection_models(self):
        return sorted(
            (name, model._description)
            for name, model in self.env.registry.items()
            if not model._abstract and not model._transient and model._auto
        )

    @api.constrains("model_name", "domain", "date_field", "kpi")
    def _check_source(self):
        for evidence in self:
            if not evidence.model_name and not evidence.kpi:
                raise ValidationError(
                    _(
                        "Evidence %(name)s needs records (a model) or a KPI figure.",
                        name=evidence.name,
                    )
                )
            if not evidence.model_name:
                continue
            Model = self.env[evidence.model_name]
            if evidence.date_field and evidence.date_field not in Model._fields:
                raise ValidationError(
                    _(
                        "Evidence %(name)s: %(model)s has no field %(field)s.",
                        name=evidence.name,
                        model=Model._description,
                        field=evidence.date_field,
                    )
                )
            # the author's own rights: evidence is defined on records one may read
            try:
                Model.search_count(evidence._record_domain(), limit=1)
            except AccessError as error:
                raise ValidationError(
                    _(
                        "Evidence %(name)s: you may not read %(model)s records, so you cannot "
                        "define evidence on them.",
                        name=evidence.name,
                        model=Model._description,
                    )
                ) from error
            except Exception as error:
                raise ValidationError(
                    _(
                        "Evidence %(name)s: the domain %(domain)s is not valid (%(error)s).",
                        name=evidence.name,
                        domain=evidence.domain,
                        error=error,
                    )
                ) from error

    def _record_domain(self, company=None, date_from=None, date_to=None):
        self.ensure_one()
        Model = self.env[self.model_name]
        domain = list(safe_eval(self.domain or "[]"))
        if company and "company_id" in Model._fields:
            domain.append(("company_id", "=", company.id))
        if self.date_field and date_from and date_to:
            field = Model._fields[self.date_field]
            if field.type == "datetime":
                domain += [
                    (self.date_field, ">=", datetime.combine(date_from, time.min)),
                    (self.date_field, "<", datetime.combine(date_to + timedelta(days=1), time.min)),
                ]
            else:
                domain += [(self.date_field, ">=", date_from), (self.date_field, "<=", date_to)]
        return domain

    def _figures(self, company, date_from, date_to):
        """``{"evidence", "count", "samples", "denied", "kpi_label",
        "kpi_value"}`` for the period. Records are counted and sampled with
        the reader's own rights, limited to the company: the record rules of
        the model apply, and a reader who may not read the model (or one of
        the fields the evidence searches) gets ``denied``, the reason, instead
        of figures. The KPI figure is the company's (the KPI report)."""
        self.ensure_one()
        result = {
            "evidence": self,
            "count": None,
            "samples": [],
            "denied": "",
            "kpi_label": "",
            "kpi_value": None,
        }
        if self.model_name:
            Model = self.env[self.model_name].with_company(company)
            domain = self._record_domain(company, date_from, date_to)
            order = f"{self.date_field} desc, id desc" if self.date_field else "id desc"
            try:
                count = Model.search_count(domain)
                samples = Model.search(domain, limit=self.sample_size, order=order)
                samples.mapped("display_name")  # read now, with the same rights
            except AccessError:
                result["denied"] = _(
                    "%(user)s may not read these %(model)s records: the figures are left "
                    "out. Someone allowed to read them prints the complete pack.",
                    user=self.env.user.name,
                    model=Model._description,
                )
            else:
                result["count"] = count
                result["samples"] = samples
        if self.kpi:
            labels = dict(self._fields["kpi"]._description_selection(self.env))
            kpi_domain = [
                ("company_id", "=", company.id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
            values = self.env["service.kpi.report"].sudo().get_kpi_values(kpi_domain)
            result["kpi_label"] = labels[self.kpi]
            result["kpi_value"] = self.env["service.objective"]._kpi_value(
                self.kpi, company, date_from, date_to, report_values=values
            )
        return result
