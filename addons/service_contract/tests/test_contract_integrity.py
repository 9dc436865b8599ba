import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from odoo.addons.service_quality.tests.evidence_common import EvidenceLockMixin

from .common import ContractCommon


@tagged("post_install", "-at_install")
class TestContractOverlap(ContractCommon):
    """A product is covered by one contract in force at a time."""

    def _draft(self, date_start, date_end, installed=None, **vals):
        return (
            self.env["service.contract"]
            .with_user(self.dispatcher)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_start": date_start,
                    "date_end": date_end,
                    "line_ids": [
                        Command.create({"installed_product_id": (installed or self.installed).id})
                    ],
                    **vals,
                }
            )
        )

    def test_overlapping_contract_cannot_start(self):
        contract = self._draft("2031-06-01", "2032-05-31")
        names = (contract.name, self.contract.name, self.installed.display_name)
        with (
            self.assertRaisesRegex(ValidationError, ".*".join(map(re.escape, names))),
            self.env.cr.savepoint(),
        ):
            contract.action_start()
        self.assertEqual(contract.state, "draft")
        # orders of the product keep finding the one running contract
        self.assertEqual(self._order_on(self.installed).contract_id, self.contract)

    def test_renewal_from_the_day_after_starts(self):
        renewal = self._draft("2032-01-01", "2032-12-31")
        renewal.action_start()
        self.assertEqual(renewal.state, "running")
        # moving it one day earlier makes it overlap the running contract
        with self.assertRaisesRegex(ValidationError, renewal.name), self.env.cr.savepoint():
            renewal.with_user(self.dispatcher).date_start = "2031-12-31"
        self.assertEqual(renewal.date_start, date(2032, 1, 1))
        # and so does extending the running contract over the renewal
        with self.assertRaisesRegex(ValidationError, self.contract.name), self.env.cr.savepoint():
            self.contract.with_user(self.dispatcher).date_end = "2032-03-31"
        self.assertEqual(self.contract.date_end, date(2031, 12, 31))

    def test_expired_contract_still_covers_its_period(self):
        self.contract._workflow_move("expired")
        contract = self._draft("2031-10-01", "2032-09-30")
        with self.assertRaisesRegex(ValidationError, self.contract.name), self.env.cr.savepoint():
            contract.action_start()
        self.assertEqual(contract.state, "draft")

    def test_line_added_to_running_contract_cannot_overlap(self):
        other = self._make_contract(self.customer, lines=[])
        with self.assertRaisesRegex(ValidationError, self.contract.name), self.env.cr.savepoint():
            other.with_user(self.dispatcher).line_ids = [
                Command.create({"installed_product_id": self.installed.id})
            ]
        self.assertEqual(len(other.line_ids), 1)
        # a product no contract covers can be added
        extra = self.env["service.installed.product"].create(
            {"product_id": self.appliance.id, "partner_id": self.customer.id}
        )
        other.with_user(self.dispatcher).line_ids = [
            Command.create({"installed_product_id": extra.id})
        ]
        self.assertEqual(len(other.line_ids), 2)

    def test_cancelled_contract_does_not_cover(self):
        self.contract.with_user(self.dispatcher).action_cancel()
        contract = self._draft("2031-06-01", "2032-05-31")
        contract.action_start()
        self.assertEqual(contract.state, "running")
        # nor can the cancelled one start again over it
        self.contract.with_user(self.dispatcher).action_draft()
        with self.assertRaisesRegex(ValidationError, contract.name), self.env.cr.savepoint():
            self.contract.with_user(self.dispatcher).action_start()
        self.assertEqual(self.contract.state, "draft")

    def test_automatic_renewal_gives_way_to_the_next_contract(self):
        self.contract.auto_renew = True
        successor = self._draft("2032-01-01", "2032-12-31", installed=self.installed_2)
        successor.action_start()
        cron = self.env.ref("service_contract.ir_cron_service_contract_renewal")
        with freeze_time("2032-01-01"):
            for _call in range(3):
                cron.method_direct_trigger()
        self.assertEqual(self.contract.state, "expired")
        self.assertEqual(self.contract.date_end, date(2031, 12, 31))
        self.assertEqual(successor.state, "running")
        note = self.contract.message_ids.filtered(lambda m: "not renewed" in (m.body or ""))
        self.assertIn(successor.name, note.body)


@tagged("post_install", "-at_install")
class TestStartedContractLock(EvidenceLockMixin, ContractCommon):
    """A started contract keeps its customer, company, covered products and
    the visits planned within its dates."""

    def test_customer_and_company_locked(self):
        other = self.env["res.partner"].create({"name": "Li Na"})
        with (
            self.assertRaisesRegex(UserError, rf"{self.contract.name} is Running.*Customer"),
            self.env.cr.savepoint(),
        ):
            self.contract.with_user(self.dispatcher).write({"partner_id": other.id})
        self.assertEqual(self.contract.partner_id, self.customer)
        self.assertEvidenceLocked(self.contract, (self.manager, self.technician), self.dispatcher)
        self.contract._workflow_move("expired")
        self.assertEvidenceLocked(self.contract, (self.manager,), self.dispatcher)

    def test_customer_change_of_draft_checks_lines(self):
        contract = self.env["service.contract"].with_user(self.dispatcher).create(
            {"partner_id": self.customer.id, "date_start": "2033-01-01",
             "date_end": "2033-12-31",
             "line_ids": [Command.create({"installed_product_id": self.installed.id})]}
        )  # fmt: skip
        other = self.env["res.partner"].create({"name": "Li Na"})
        form = Form(contract)
        form.partner_id = other
        with (
            self.assertRaisesRegex(ValidationError, "installed at another customer"),
            self.env.cr.savepoint(),
        ):
            form.save()
        self.assertEqual(contract.partner_id, self.customer)
        # a contact of the same customer is fine
        contact = self.env["res.partner"].create({"name": "Site", "parent_id": self.customer.id})
        contract.partner_id = contact
        self.assertEqual(contract.partner_id, contact)

    def test_covered_lines_kept(self):
        plan = self._approved_plan()
        line = self.contract.line_ids.filtered(lambda ln: ln.installed_product_id == self.installed)
        visits = line.env["service.contract.visit"].search([("line_id", "=", line.id)])
        with (
            self.assertRaisesRegex(UserError, rf"{self.contract.name}.*cannot be deleted"),
            self.env.cr.savepoint(),
        ):
            line.with_user(self.dispatcher).unlink()
        with (
            self.assertRaisesRegex(UserError, rf"{self.contract.name}.*cannot be deleted"),
            self.env.cr.savepoint(),
        ):
            self.contract.with_user(self.dispatcher).line_ids = [Command.delete(line.id)]
        extra = self.env["service.installed.product"].create(
            {"product_id": self.appliance.id, "partner_id": self.customer.id}
        )
        with self.assertRaisesRegex(UserError, "can no longer be changed"), self.env.cr.savepoint():
            line.with_user(self.dispatcher).installed_product_id = extra
        self.assertTrue(line.exists())
        self.assertEqual(line.installed_product_id, self.installed)
        self.assertEqual(len(visits.exists()), 4)
        self.assertEqual(plan.visit_count, 16)
        # the terms of a line can change, and products can be added
        line.with_user(self.dispatcher).frequency = "semi_annual"
        self.contract.with_user(self.dispatcher).line_ids = [
            Command.create({"installed_product_id": extra.id})
        ]
        self.assertEqual(len(self.contract.line_ids), 3)
        # started contracts are cancelled, not deleted
        with (
            self.assertRaisesRegex(UserError, rf"{self.contract.name}.*cannot be deleted"),
            self.env.cr.savepoint(),
        ):
            self.contract.with_user(self.manager).unlink()
        self.assertTrue(self.contract.exists())

    def test_visits_done_missed_or_ordered_never_deleted(self):
        plan = self._approved_plan()
        with freeze_time("2031-01-20"):
            self._run_cron("ir_cron_service_contract_visit_orders")
        with freeze_time("2031-04-01"):
            self._run_cron("ir_cron_service_contract_visit_missed")
        ordered = plan.visit_ids.filtered("order_id")[:1]
        missed = plan.visit_ids.filtered(lambda v: v.state == "missed")[:1]
        self.assertTrue(ordered and missed)
        self.contract.with_user(self.dispatcher).action_cancel()
        for visit in ordered | missed:
            with (
                self.assertRaisesRegex(UserError, rf"{self.contract.name} is .*cannot be deleted"),
                self.env.cr.savepoint(),
            ):
                visit.line_id.with_user(self.dispatcher).unlink()
            with self.assertRaisesRegex(UserError, "cannot be deleted"), self.env.cr.savepoint():
                visit.with_user(self.dispatcher).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"), self.env.cr.savepoint():
            plan.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"), self.env.cr.savepoint():
            self.contract.with_user(self.manager).unlink()
        self.assertTrue((ordered | missed).exists() == ordered | missed)
        self.assertEqual(self.contract.missed_visit_count, len(plan.visit_ids.filtered("missed")))
        # a visit still planned can go
        planned = plan.visit_ids.filtered(lambda v: v.state == "planned")[:1]
        planned.with_user(self.dispatcher).unlink()
        self.assertFalse(planned.exists())

    def test_end_date_before_planned_visits_refused(self):
        plan = self._approved_plan()
        with (
            self.assertRaisesRegex(UserError, rf"{self.contract.name}.*outside these dates"),
            self.env.cr.savepoint(),
        ):
            self.contract.with_user(self.dispatcher).write({"date_end": "2031-06-30"})
        self.assertEqual(self.contract.date_end, date(2031, 12, 31))
        with (
            self.assertRaisesRegex(UserError, rf"{self.contract.name}.*outside these dates"),
            self.env.cr.savepoint(),
        ):
            self.contract.with_user(self.dispatcher).write({"date_start": "2031-03-01"})
        self.assertEqual(self.contract.date_start, date(2031, 1, 1))
        # once the later visits are removed, the contract can end earlier
        plan.visit_ids.filtered(lambda v: v.planned_date > date(2031, 6, 30)).with_user(
            self.dispatcher
        ).unlink()
        self.contract.with_user(self.dispatcher).write({"date_end": "2031-06-30"})
        self.assertEqual(self.contract.date_end, date(2031, 6, 30))
        # and later again
        self.contract.with_user(self.dispatcher).write({"date_end": "2031-12-31"})
        self.assertEqual(self.contract.date_end, date(2031, 12, 31))

    def _run_cron(self, xmlid):
        self.env.ref(f"service_contract.{xmlid}").method_direct_trigger()


@tagged("post_install", "-at_install")
class TestContractTerms(ContractCommon):
    """Bounded terms, and jobs that one contract cannot stop."""

    def test_terms_bounded(self):
        for field, value, message in (
            ("renewal_notice_days", 2_000_000_000, "renewal notice must be between 0 and 365"),
            ("renewal_notice_days", -1, "renewal notice must be between 0 and 365"),
            ("order_lead_days", 366, "order lead time must be between 0 and 365"),
            ("renewal_months", 121, "renewal term must be between 1 and 120"),
            ("renewal_months", 0, "renewal term must be between 1 and 120"),
        ):
            before = self.contract[field]
            with (
                self.assertRaisesRegex(ValidationError, rf"{self.contract.name}: .*{message}"),
                self.env.cr.savepoint(),
            ):
                self.contract.with_user(self.dispatcher).write({field: value})
            self.assertEqual(self.contract[field], before)
        form = Form(self.contract.with_user(self.dispatcher))
        form.renewal_notice_days = 365
        form.order_lead_days = 365
        form.renewal_months = 120
        form.save()
        self.assertEqual(
            (
                self.contract.renewal_notice_days,
                self.contract.order_lead_days,
                self.contract.renewal_months,
            ),
            (365, 365, 120),
        )

    def test_jobs_survive_out_of_bounds_rows(self):
        """Rows written before the bounds existed: the jobs cap them and
        handle every contract."""
        fixed = self._make_contract(
            self.customer, lines=[], renewal_notice_days=30, date_end="2031-11-30"
        )
        self.contract.auto_renew = True
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE service_contract SET renewal_notice_days = %s, order_lead_days = %s, "
                "renewal_months = 0 WHERE id = %s",
                2_000_000_000,
                2_000_000_000,
                self.contract.id,
            )
        )
        self.env.invalidate_all()
        plan = self._approved_plan()
        with freeze_time("2031-01-02"):
            self.env.ref(
                "service_contract.ir_cron_service_contract_visit_orders"
            ).method_direct_trigger()
            # read as 365 days of lead time: every visit of the year is ordered
            self.assertEqual(len(plan.visit_ids.filtered("order_id")), 16)
        renewal = self.env.ref("service_contract.ir_cron_service_contract_renewal")
        with freeze_time("2031-11-01"):
            renewal.method_direct_trigger()
            self.assertEqual(str(fixed.renewal_reminded_on), "2031-11-01")
            # read as 365 days: the notice period has started
            self.assertEqual(str(self.contract.renewal_reminded_on), "2031-11-01")
        with freeze_time("2032-01-01"):
            for _call in range(3):
                renewal.method_direct_trigger()
            self.assertEqual(fixed.state, "expired")
            # a term of zero months read as one
            self.assertEqual(self.contract.state, "running")
            self.assertEqual(self.contract.date_end, date(2032, 1, 31))


@tagged("post_install", "-at_install")
class TestCoveredEquipmentKept(ContractCommon):
    def test_covered_equipment_is_archived_not_deleted(self):
        self.assertIn(self.installed, self.contract.line_ids.installed_product_id)
        with self.assertRaisesRegex(UserError, r"maintenance contract lines"):
            self.installed.unlink()
        self.assertTrue(self.installed.exists())
