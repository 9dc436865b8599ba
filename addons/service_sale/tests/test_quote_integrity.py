from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.service_quality.tests.evidence_common import EvidenceLockMixin

from .common import ServiceSaleCommon


@tagged("post_install", "-at_install")
class TestQuoteIntegrity(EvidenceLockMixin, ServiceSaleCommon):
    """What the customer signed stays as signed: lines stay on their quote,
    a quote on its order and version, only the latest version of an order
    still quoted is sent, accepted or rejected."""

    def _accepted(self, **vals):
        order, quote = self._quoted_order(**vals)
        quote.with_user(self.technician).action_accept(
            signature=self.signature, signed_by="Chen Wei"
        )
        return order, quote

    def _new_version(self, quote, user=None):
        action = quote.with_user(user or self.dispatcher).action_new_version()
        return self.env["service.quote"].browse(action["res_id"])

    # ------------------------------------------------------------------
    # Lines stay on their quote
    # ------------------------------------------------------------------
    def test_line_cannot_move_into_an_accepted_quote(self):
        order, accepted = self._accepted()
        _other, draft = self._quoted_order(send=False)
        line = draft.line_ids[0]
        for user_env in (line.with_user(self.dispatcher), line.with_user(self.dispatcher).sudo()):
            with self.assertRaisesRegex(UserError, "cannot be moved to another quote"):
                user_env.write({"quote_id": accepted.id})
        with self.assertRaisesRegex(UserError, "create a new version"):
            accepted.with_user(self.dispatcher).write({"line_ids": [Command.link(line.id)]})
        # nor into another draft, nor to another order
        _third, draft_2 = self._quoted_order(send=False)
        with self.assertRaisesRegex(UserError, "cannot be moved to another quote"):
            line.with_user(self.dispatcher).write({"quote_id": draft_2.id})
        with self.assertRaisesRegex(UserError, "cannot be moved to another quote"):
            line.with_user(self.dispatcher).sudo().write({"order_id": order.id})
        self.env.invalidate_all()
        self.assertEqual(line.quote_id, draft)
        self.assertEqual(line.order_id, draft.order_id)
        self.assertEqual(len(accepted.line_ids), 2)
        self.assertAlmostEqual(accepted.amount_total, 209.0)
        # the accepted quote takes no new line and keeps its own, sudo included
        for quote_env in (accepted.with_user(self.dispatcher), accepted.sudo()):
            with self.assertRaisesRegex(UserError, "create a new version"):
                quote_env.env["service.quote.line"].create(
                    {"quote_id": accepted.id, "product_id": self.part.id, "quantity": 1.0}
                )
            with self.assertRaisesRegex(UserError, "create a new version"):
                accepted.line_ids[0].with_env(quote_env.env).unlink()
        self.assertEqual(len(accepted.line_ids), 2)
        # the draft is still edited as usual, and its lines rewritten in place
        line.with_user(self.dispatcher).write({"quantity": 3.0, "quote_id": draft.id})
        self.assertEqual(line.quantity, 3.0)
        draft.line_ids[1].with_user(self.dispatcher).unlink()
        self.assertEqual(len(draft.line_ids), 1)

    def test_line_amounts_are_sensible(self):
        order = self._order_on(received_at=self.out_date)
        quote = self.env["service.quote"].with_user(self.dispatcher).create({"order_id": order.id})
        Line = self.env["service.quote.line"].with_user(self.dispatcher)
        for vals, message in (
            ({"price_unit": -500.0}, "unit price between 0"),
            ({"price_unit": 1e15, "quantity": 1.0}, "unit price between 0"),
            ({"quantity": 1e15}, "quantity above"),
        ):
            # a constraint: the request's transaction is rolled back
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                Line.create({"quote_id": quote.id, "product_id": self.part.id, **vals})
        self.assertFalse(quote.line_ids)
        with Form(quote.with_user(self.dispatcher)) as form, form.line_ids.new() as line:
            line.product_id = self.part
            line.quantity = 4.0
            line.price_unit = 0.0
        self.assertEqual(quote.line_ids.price_unit, 0.0)
        with (
            self.assertRaisesRegex(ValidationError, "unit price between 0"),
            self.env.cr.savepoint(),
        ):
            quote.line_ids.with_user(self.dispatcher).write({"price_unit": -1.0})
        quote.line_ids.invalidate_recordset()
        self.assertEqual(quote.line_ids.price_unit, 0.0)

    # ------------------------------------------------------------------
    # A quote stays on its order and version
    # ------------------------------------------------------------------
    def test_order_and_version_are_set_by_the_system(self):
        order, quote = self._accepted()
        other, _other_quote = self._quoted_order()
        for user_env in (
            quote.with_user(self.dispatcher),
            quote.with_user(self.technician),
            quote.with_user(self.dispatcher).sudo(),
        ):
            for vals in (
                {"version": 99},
                {"order_id": other.id},
                {"partner_id": self.env.user.partner_id.id},
            ):
                with self.assertRaisesRegex(UserError, "set by the system"):
                    user_env.write(vals)
        self.env.invalidate_all()
        self.assertEqual(
            (quote.version, quote.order_id, quote.partner_id), (1, order, self.customer)
        )
        self.assertEqual(order.quote_id, quote)
        self.assertEqual(other.quote_ids.mapped("version"), [1])
        # a draft too: the version is the system's
        v2 = self._new_version(quote)
        with self.assertRaisesRegex(UserError, "set by the system"):
            v2.with_user(self.dispatcher).write({"version": 5})
        with self.assertRaisesRegex(UserError, "numbered by the system"):
            self.env["service.quote"].with_user(self.dispatcher).create(
                {"order_id": other.id, "version": 7}
            )
        self.assertEqual(other.quote_ids.mapped("version"), [1])
        # the same value written again is no change
        v2.with_user(self.dispatcher).write({"order_id": order.id, "version": 2})
        self.assertEqual((v2.version, order.quote_id), (2, v2))

    # ------------------------------------------------------------------
    # Only the latest version is decided
    # ------------------------------------------------------------------
    def test_new_version_supersedes_the_one_waiting(self):
        order, v1 = self._quoted_order()
        v2 = self._new_version(v1)
        self.assertEqual(v1.state, "superseded", "the customer can no longer answer v1")
        with self.assertRaisesRegex(UserError, f"{v1.name} is an old version.*{v2.name}"):
            v1.with_user(self.technician).action_accept(
                signature=self.signature, signed_by="Chen Wei"
            )
        with self.assertRaisesRegex(UserError, f"{v1.name} is an old version"):
            v1.with_user(self.dispatcher).action_reject(reason="Too expensive")
        self.assertEqual(v1.state, "superseded")
        self.assertEqual(order.state, "scheduled")
        # a quote created directly supersedes the waiting one the same way
        v2.with_user(self.dispatcher).action_send()
        v3 = self.env["service.quote"].with_user(self.dispatcher).create({"order_id": order.id})
        self.assertEqual((v2.state, v3.version, order.quote_id), ("superseded", 3, v3))

    def test_stale_version_cannot_overturn_the_latest(self):
        order, v1 = self._accepted()
        v2 = self._new_version(v1)
        v2.with_user(self.dispatcher).action_send()
        # v1 cannot be signed again nor rejected while v2 waits for the customer
        with self.assertRaisesRegex(
            UserError, f"the latest version of order {order.name} is {v2.name}"
        ):
            v1.sudo().action_reject(reason="Changed my mind")
        self.assertEqual(order.state, "scheduled", "the order is not cancelled")
        self.assertEqual((v1.state, v2.state), ("accepted", "sent"))
        v2.with_user(self.technician).action_accept(signature=self.signature, signed_by="Chen Wei")
        with self.assertRaisesRegex(UserError, "is an old version"):
            v1.with_user(self.dispatcher).sudo().action_accept(
                signature=self.signature, signed_by="Chen Wei"
            )
        self.assertEqual((v1.state, v2.state), ("superseded", "accepted"))
        self.assertEqual(order.quote_accepted_id, v2)

    def test_new_version_of_several_orders(self):
        order_1, quote_1 = self._accepted()
        order_2, quote_2 = self._quoted_order()
        action = (quote_1 | quote_2).with_user(self.dispatcher).action_new_version()
        new = self.env["service.quote"].search(action["domain"])
        self.assertEqual(new.order_id, order_1 | order_2)
        self.assertEqual(set(new.mapped("version")), {2})
        self.assertEqual((quote_1.state, quote_2.state), ("accepted", "superseded"))

    def test_technician_makes_a_new_version_without_seeing_prices(self):
        order, v1 = self._accepted()
        self.assertFalse(self.technician.has_group("service_sale.group_service_prices"))
        v2 = self._new_version(v1, user=self.technician)
        self.assertEqual(v2.version, 2)
        self.assertEqual(v2.create_uid, self.technician)
        self.assertEqual(
            sorted(v2.line_ids.mapped("price_unit")), [50.0, 90.0], "prices of v1 kept"
        )
        with Form(v2.with_user(self.technician)) as form, form.line_ids.edit(0) as line:
            line.quantity = 3.0
        self.assertAlmostEqual(v2.amount_total, 264.0)
        v2.with_user(self.technician).action_send()
        self.assertEqual(v2.state, "sent")

    # ------------------------------------------------------------------
    # No quote decision once the order is finished
    # ------------------------------------------------------------------
    def test_no_decision_on_a_cancelled_order(self):
        order, quote = self._quoted_order()
        order.with_user(self.dispatcher).action_cancel(reason="The customer moved away")
        self.assertEqual(order.state, "cancelled")
        # sudo as the portal does it for the customer's signed link
        for quote_env in (
            quote.with_user(self.dispatcher),
            quote.with_user(self.portal_user).sudo(),
        ):
            with self.assertRaisesRegex(UserError, f"Order {order.name} is Cancelled"):
                quote_env.action_accept(signature=self.signature, signed_by="Chen Wei")
            with self.assertRaisesRegex(UserError, "can no longer be created, sent, accepted"):
                quote_env.action_reject(reason="Too expensive")
        with self.assertRaisesRegex(UserError, "is Cancelled"):
            quote.with_user(self.dispatcher).action_new_version()
        with self.assertRaisesRegex(UserError, "is Cancelled"):
            self.env["service.quote"].with_user(self.dispatcher).create({"order_id": order.id})
        self.env.invalidate_all()
        self.assertEqual(order.quote_ids, quote)
        self.assertEqual(quote.state, "sent")
        self.assertFalse(quote.signed_by)
        self.assertFalse(order.sudo().sale_order_ids)

    def test_no_quote_on_a_done_order(self):
        order, quote = self._accepted()
        self._walk_to(order, "done")
        self.assertEqual(order.state, "done")
        with self.assertRaisesRegex(UserError, f"Order {order.name} is Done"):
            self.env["service.quote"].with_user(self.dispatcher).create({"order_id": order.id})
        with self.assertRaisesRegex(UserError, "is Done"):
            quote.with_user(self.dispatcher).action_new_version()
        self.assertEqual(order.quote_ids, quote)
        # the order accepted again (a second click, another user) is told so
        with self.assertRaisesRegex(UserError, "cannot move to Done from Done"):
            order.with_user(self.inspector).action_accept()
        self.assertEqual(len(order.sudo().sale_order_ids), 1)

    def test_new_version_while_work_is_under_way(self):
        order, v1 = self._accepted()
        self._walk_to(order, "in_progress")
        v2 = self._new_version(v1, user=self.technician)
        v2.with_user(self.technician).action_send()
        v2.with_user(self.technician).action_accept(signature=self.signature, signed_by="Chen Wei")
        self.assertEqual(order.quote_accepted_id, v2)

    # ------------------------------------------------------------------
    # The signature
    # ------------------------------------------------------------------
    def test_signature_must_be_an_image(self):
        order, quote = self._quoted_order()
        for garbage in ("!!!notbase64", "bm90IGFuIGltYWdl"):
            with self.assertRaisesRegex(UserError, "signature is not a valid image"):
                quote.with_user(self.technician).action_accept(
                    signature=garbage, signed_by="Chen Wei"
                )
        with self.assertRaisesRegex(UserError, "signature is not a valid image"):
            quote.with_user(self.technician).write({"signature": "!!!notbase64"})
        self.assertEqual(quote.state, "sent")
        self.assertFalse(quote.signature)
        quote.with_user(self.technician).action_accept(
            signature=self.signature, signed_by="Chen Wei"
        )
        self.assertEqual(quote.state, "accepted")

    # ------------------------------------------------------------------
    # Decided versions are evidence
    # ------------------------------------------------------------------
    def test_walk_every_final_quote(self):
        _order, accepted = self._accepted()
        _order_2, rejected = self._quoted_order()
        rejected.with_user(self.technician).action_reject(reason="Too expensive")
        _order_3, superseded = self._accepted()
        v2 = self._new_version(superseded)
        v2.with_user(self.dispatcher).action_send()
        v2.with_user(self.technician).action_accept(signature=self.signature, signed_by="Chen Wei")
        covered = {
            "service.quote/accepted": accepted,
            "service.quote/rejected": rejected,
            "service.quote/superseded": superseded,
        }
        roles = (self.technician, self.technician_2, self.inspector, self.manager)
        for quote in covered.values():
            self.assertEvidenceLocked(quote, roles, self.dispatcher)
        expected = {
            f"{model}/{state}"
            for model in self._final_state_models("service_sale")
            for state in self.env[model]._workflow_final_states
        }
        self.assertEqual(set(covered), expected)
