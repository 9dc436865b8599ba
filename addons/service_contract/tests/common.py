from odoo import Command

from odoo.addons.service_installed_base.tests.common import InstalledBaseCommon


class ContractCommon(InstalledBaseCommon):
    """A contract of the year 2031 on two installed products of the test
    customer: the washing machine visited quarterly (two filters per visit)
    and a second one monthly, with its own SLA policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installed_2 = cls.env["service.installed.product"].create(
            {
                "product_id": cls.appliance.id,
                "lot_id": cls.lot_2.id,
                "partner_id": cls.customer.id,
                "install_date": "2025-03-01",
            }
        )
        cls.filter_part = cls.env["product.product"].create(
            {"name": "Drum filter", "is_storable": True}
        )
        cls.contract_policy = cls.env["service.sla.policy"].create(
            {"name": "Contract 4 h", "response_hours": 4, "resolve_hours": 8, "use_24x7": True}
        )
        cls.category_policy = cls.env["service.sla.policy"].create(
            {
                "name": "Washing machines 24 h",
                "category_ids": [Command.set(cls.category.ids)],
                "response_hours": 24,
                "resolve_hours": 48,
            }
        )
        cls.contract = cls._make_contract(cls.customer)

    @classmethod
    def _make_contract(cls, partner, lines=None, **vals):
        """A running 2031 contract of ``partner``; ``lines``: (installed
        product, frequency) pairs, by default the two test products; empty:
        a new installed product of ``partner``, visited once a year."""
        if lines is None:
            lines = [(cls.installed, "quarterly"), (cls.installed_2, "monthly")]
        elif not lines:
            installed = cls.env["service.installed.product"].create(
                {"product_id": cls.appliance.id, "partner_id": partner.id}
            )
            lines = [(installed, "annual")]
        contract = (
            cls.env["service.contract"]
            .with_user(cls.dispatcher)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": cls.dispatcher.id,
                    "team_id": cls.team.id,
                    "date_start": "2031-01-01",
                    "date_end": "2031-12-31",
                    "sla_policy_id": cls.contract_policy.id,
                    "category_ids": [Command.set(cls.category.ids)],
                    "line_ids": [
                        Command.create({"installed_product_id": installed.id, "frequency": freq})
                        for installed, freq in lines
                    ],
                    **vals,
                }
            )
        )
        contract.line_ids[:1].part_ids = [
            Command.create({"product_id": cls.filter_part.id, "quantity": 2})
        ]
        contract.action_start()
        return contract.with_user(cls.env.user)

    def _approved_plan(self, contract=None):
        contract = contract or self.contract
        plan = self.env["service.contract.plan"].create({"contract_id": contract.id, "year": 2031})
        plan.with_user(self.dispatcher).action_generate_visits()
        plan.with_user(self.dispatcher).action_submit()
        plan.with_user(self.manager).action_approve()
        return plan
