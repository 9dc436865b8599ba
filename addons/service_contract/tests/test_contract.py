from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ContractCommon


@tagged("post_install", "-at_install")
class TestContract(ContractCommon):
    def test_dispatcher_drafts_and_starts_contract(self):
        # the renewal of the running 2031 contract, from the day after its end
        form = Form(self.env["service.contract"].with_user(self.dispatcher))
        form.partner_id = self.customer
        form.date_start = "2032-01-01"
        form.date_end = "2032-12-31"
        contract = form.save()
        self.assertTrue(contract.name.startswith("MC/"))
        self.assertEqual(contract.state, "draft")
        self.assertTrue(contract.site_address)
        with self.assertRaisesRegex(UserError, contract.name):
            contract.action_start()
        contract.line_ids = [Command.create({"installed_product_id": self.installed.id})]
        contract.action_start()
        self.assertEqual(contract.state, "running")
        with self.assertRaisesRegex(UserError, "cannot be edited directly"):
            contract.write({"state": "draft"})

    def test_line_of_another_customer_refused(self):
        other = self.env["res.partner"].create({"name": "Li Na"})
        with self.assertRaisesRegex(ValidationError, "installed at another customer"):
            self.env["service.contract"].create(
                {
                    "partner_id": other.id,
                    "date_start": "2031-01-01",
                    "date_end": "2031-12-31",
                    "line_ids": [Command.create({"installed_product_id": self.installed.id})],
                }
            )

    def test_contract_sla_policy_wins_over_category(self):
        order = self._order_on(self.installed)
        self.assertEqual(order.contract_id, self.contract)
        self.assertEqual(order.sla_policy_id, self.contract_policy)
        # 24x7: four hours after reception
        self.assertEqual((order.response_deadline - order.received_at).total_seconds(), 4 * 3600)
        other_lot = self.env["stock.lot"].create(
            {"name": "WM8-0003", "product_id": self.appliance.id}
        )
        uncovered = self.env["service.installed.product"].create(
            {
                "product_id": self.appliance.id,
                "lot_id": other_lot.id,
                "partner_id": self.customer.id,
            }
        )
        order_2 = self._order_on(uncovered)
        self.assertFalse(order_2.contract_id)
        self.assertEqual(order_2.sla_policy_id, self.category_policy)
        # linking the order to the contract afterwards applies the contract's policy
        order_2.with_user(self.dispatcher).contract_id = self.contract
        self.assertEqual(order_2.sla_policy_id, self.contract_policy)

    def test_contract_of_another_customer_refused_on_order(self):
        other = self.env["res.partner"].create({"name": "Li Na"})
        order = self._create_order(partner_id=other.id)
        with self.assertRaisesRegex(ValidationError, order.name):
            order.with_user(self.dispatcher).contract_id = self.contract

    def test_renewal_reminder_once_then_renewal_or_expiry(self):
        cron = self.env.ref("service_contract.ir_cron_service_contract_renewal")
        fixed = self._make_contract(
            self.customer, lines=[], renewal_notice_days=30, date_end="2031-11-30"
        )
        self.contract.auto_renew = True
        with freeze_time("2031-11-01"):
            cron.method_direct_trigger()
            self.assertFalse(self.contract.activity_ids)
            self.assertEqual(len(fixed.activity_ids), 1)
            self.assertEqual(fixed.activity_ids.user_id, self.dispatcher)
            self.assertEqual(str(fixed.renewal_reminded_on), "2031-11-01")
        with freeze_time("2031-12-02"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
            self.assertEqual(len(fixed.activity_ids), 1, "one reminder per term")
            self.assertEqual(len(self.contract.activity_ids), 1)
            self.assertEqual(fixed.state, "expired")
        with freeze_time("2032-01-01"):
            for _call in range(3):  # reminders of other contracts come first
                cron.method_direct_trigger()
            self.assertEqual(self.contract.state, "running")
            self.assertEqual(str(self.contract.date_end), "2032-12-31")
            self.assertFalse(self.contract.renewal_reminded_on)

    def test_access_roles(self):
        Contract = self.env["service.contract"]
        with self.assertRaises(AccessError):
            Contract.with_user(self.technician).create(
                {"partner_id": self.customer.id, "date_start": "2031-01-01",
                 "date_end": "2031-12-31"}
            )  # fmt: skip
        self.assertEqual(Contract.with_user(self.technician).browse(self.contract.id).name,
                         self.contract.name)  # fmt: skip
        with self.assertRaises(AccessError):
            self.contract.with_user(self.dispatcher).unlink()
        # portal: the customer's own running contract, nobody else's
        other = self._make_contract(self.env["res.partner"].create({"name": "Li Na"}), lines=[])
        visible = Contract.with_user(self.portal_user).search([])
        self.assertEqual(visible, self.contract)
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.portal_user).write({"note": "x"})

    def test_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Service B"})
        partner_b = self.env["res.partner"].create({"name": "Wang Fang"})
        contract_b = self.env["service.contract"].create(
            {"partner_id": partner_b.id, "date_start": "2031-01-01", "date_end": "2031-12-31",
             "company_id": company_b.id}
        )  # fmt: skip
        self.assertNotIn(
            contract_b, self.env["service.contract"].with_user(self.dispatcher).search([])
        )
        with self.assertRaises(AccessError):
            contract_b.with_user(self.dispatcher).read(["name"])
