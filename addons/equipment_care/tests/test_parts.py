import io

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.pdf import PdfReader

from odoo.addons.service_quality.tests.common import create_role_users

from .common import EquipmentCareCommon


class SparePartsCommon(EquipmentCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.consumption = cls.env.ref("equipment_care.stock_location_service_consumption")
        cls.belt = cls.env["product.product"].create(
            {"name": "Drum belt 1270 J5", "type": "consu", "is_storable": True}
        )
        cls.board = cls.env["product.product"].create(
            {
                "name": "Control board WM-200",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "CB-2026-01", "product_id": cls.board.id, "company_id": cls.company.id}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.belt, cls.stock, 5.0)
        Quant._update_available_quantity(cls.board, cls.stock, 2.0, lot_id=cls.lot)

    def _on_hand(self, product, location=None, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location or self.stock, lot_id=lot, strict=bool(lot)
        )

    def _part(self, product, qty, **vals):
        return self.env["service.order.part"].create(
            dict(
                {"service_order_id": self.order.id, "product_id": product.id, "quantity": qty},
                **vals,
            )
        )


@tagged("post_install", "-at_install")
class TestSpareParts(SparePartsCommon):
    def test_consume_posts_done_moves(self):
        belt = self._part(self.belt, 2)
        board = self._part(self.board, 1, lot_id=self.lot.id)
        self.assertEqual(belt.location_id, self.stock)
        self.assertEqual(belt.available_qty, 5)
        self.assertFalse(self.order.part_shortage)
        self.order.action_consume_parts()
        self.assertEqual((belt | board).mapped("state"), ["consumed", "consumed"])
        self.assertEqual(belt.move_id.state, "done")
        self.assertEqual(board.move_id.state, "done")
        self.assertEqual(belt.move_id.location_dest_id, self.consumption)
        self.assertEqual(board.move_id.move_line_ids.lot_id, self.lot)
        self.assertEqual(self._on_hand(self.belt), 3)
        self.assertEqual(self._on_hand(self.board, lot=self.lot), 1)
        consumed = self.env["stock.quant"].search(
            [("product_id", "=", self.belt.id), ("location_id", "=", self.consumption.id)]
        )
        self.assertEqual(sum(consumed.mapped("quantity")), 2)
        # consumed lines are frozen
        with self.assertRaises(UserError):
            belt.quantity = 1
        with self.assertRaises(UserError):
            belt.unlink()
        with self.assertRaisesRegex(UserError, "already consumed"):
            belt.action_consume()

    def test_service_report_lists_parts_used(self):
        """The customer's service report (PDF) lists the consumed parts with
        their lot; parts still planned are not on it."""
        belt = self._part(self.belt, 2)
        board = self._part(self.board, 1, lot_id=self.lot.id)
        belt.action_consume()
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("service_quality.report_service_order", self.order.ids)[0]
        html = html.decode()
        self.assertIn("Parts Used", html)
        self.assertIn("Drum belt 1270 J5", html)
        self.assertNotIn("Control board WM-200", html, "planned, not consumed")
        board.action_consume()
        html = Report._render_qweb_html("service_quality.report_service_order", self.order.ids)[0]
        self.assertIn("CB-2026-01", html.decode())

    def test_refuse_more_than_available(self):
        part = self._part(self.belt, 4)
        part_2 = self._part(self.belt, 2)
        self.assertFalse(part.shortage)
        # together they need 6 where 5 are on hand: nothing is consumed
        self.assertIn(part, self.env["service.order.part"].search([("shortage", "=", False)]))
        with self.assertRaisesRegex(UserError, "Not enough Drum belt.*6.0.*5.0"):
            (part | part_2).action_consume()
        self.assertEqual((part | part_2).mapped("state"), ["draft", "draft"])
        self.assertFalse((part | part_2).move_id)
        self.assertEqual(self._on_hand(self.belt), 5)
        self.assertFalse(self.env["stock.move"].search([("origin", "=", self.order.name)]))
        big = self._part(self.belt, 7)
        self.assertTrue(big.shortage)
        self.assertTrue(self.order.part_shortage)
        self.assertIn(big, self.env["service.order.part"].search([("shortage", "=", True)]))
        with self.assertRaises(UserError):
            big.action_consume()
        self.assertEqual(self._on_hand(self.belt), 5)
        # the explicit choice consumes beyond stock; stock goes negative
        big.allow_negative = True
        big.action_consume()
        self.assertEqual(big.move_id.state, "done")
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.belt.id), ("location_id", "=", self.stock.id)]
        )
        self.assertEqual(sum(quants.mapped("quantity")), -2)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self._part(self.belt, -1)
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self._part(self.belt, 0)
        board = self._part(self.board, 1)
        with self.assertRaisesRegex(UserError, "lot or serial"):
            board.action_consume()
        self.assertEqual(self._on_hand(self.board, lot=self.lot), 2)
        other_lot = self.env["stock.lot"].create({"name": "X", "product_id": self.board.id})
        with self.assertRaises(ValidationError):
            self._part(self.belt, 1, lot_id=other_lot.id)

    def test_parts_access(self):
        part = self._part(self.belt, 1)
        other_order = self.env["service.order"].create(
            {"partner_id": self.customer.id, "user_id": self.technician_2.id}
        )
        other_part = self.env["service.order.part"].create(
            {"service_order_id": other_order.id, "product_id": self.belt.id, "quantity": 1}
        )
        Part = self.env["service.order.part"]
        # warehouse staff see and handle every part line
        self.assertEqual(
            Part.with_user(self.stock_user).search([("id", "in", (part | other_part).ids)]),
            part | other_part,
        )
        part.with_user(self.stock_user).allow_negative = True
        with self.assertRaises(AccessError):
            Part.with_user(self.stock_user).create(
                {"service_order_id": self.order.id, "product_id": self.belt.id, "quantity": 1}
            )
        # technicians only on their own orders; they consume without stock rights
        visible = Part.with_user(self.technician).search([("id", "in", (part | other_part).ids)])
        self.assertEqual(visible, part)
        with self.assertRaises(AccessError):
            other_part.with_user(self.technician).quantity = 3
        part.with_user(self.technician).action_consume()
        self.assertEqual(part.move_id.state, "done")
        # a plain employee has no access at all
        employee = self.env["res.users"].create(
            {
                "name": "Eve",
                "login": "ec_employee",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            Part.with_user(employee).search([])

    def test_order_form_parts(self):
        with Form(self.order.with_user(self.technician)) as form:
            with form.part_ids.new() as line:
                line.product_id = self.belt
                line.quantity = 3
        self.assertEqual(self.order.part_ids.quantity, 3)
        self.assertEqual(self.order.part_ids.available_qty, 5)


@tagged("post_install", "-at_install")
class TestSparePartsPdf(SparePartsCommon, HttpCase):
    """The service report printed by wkhtmltopdf: an ``HttpCase`` (why: README, Development)."""

    def test_service_report_pdf(self):
        self._part(self.board, 1, lot_id=self.lot.id).action_consume()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, fmt = Report._render_qweb_pdf("service_quality.report_service_order", self.order.ids)
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # the text is drawn with the report's web fonts, not extractable: the
        # content is checked on the HTML (TestSpareParts); the document is read back
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)


@tagged("post_install", "-at_install")
class TestSparePartsSettled(SparePartsCommon):
    """Once the customer has accepted the work the parts of the order are
    settled; consuming beyond stock is the warehouse's decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_role_users(cls, {"manager": ("ec_manager", "manager", "Max Manager")})

    def _moves_of(self, order):
        return self.env["stock.move"].search([("origin", "=", order.name)])

    def _parts_of(self, order):
        return self.env["service.order.part"].search([("service_order_id", "=", order.id)])

    def test_done_order_parts_cannot_be_added_changed_or_consumed(self):
        part = self._part(self.belt, 1)
        self._move_order_to(self.order, "done")
        self.env.invalidate_all()  # what follows are the technician's own requests
        Part = self.env["service.order.part"].with_user(self.technician)
        moves = self._moves_of(self.order)
        error = rf"Order {self.order.name} is Done: its spare part Drum belt 1270 J5 can no longer"
        with self.assertRaisesRegex(UserError, error):
            Part.create(
                {"service_order_id": self.order.id, "product_id": self.belt.id, "quantity": 1}
            )
        self.assertEqual(self._parts_of(self.order), part)
        with self.assertRaisesRegex(UserError, error):
            part.with_user(self.technician).quantity = 3
        # for the office too
        with self.assertRaisesRegex(UserError, error):
            part.with_user(self.dispatcher).write({"quantity": 3, "location_id": self.stock.id})
        self.assertEqual(part.quantity, 1)
        with self.assertRaisesRegex(UserError, error):
            part.with_user(self.technician).action_consume()
        with self.assertRaisesRegex(UserError, error):
            self.order.with_user(self.technician).action_consume_parts()
        self.assertEqual(part.state, "draft")
        self.assertFalse(part.move_id)
        self.assertEqual(self._moves_of(self.order), moves)
        self.assertEqual(self._on_hand(self.belt), 5)
        # nor moved to a done order from an open one
        open_order = self.env["service.order"].create(
            {"partner_id": self.customer.id, "user_id": self.technician.id}
        )
        other = Part.create(
            {"service_order_id": open_order.id, "product_id": self.belt.id, "quantity": 1}
        )
        with self.assertRaisesRegex(UserError, error):
            other.write({"service_order_id": self.order.id})
        self.assertEqual(other.service_order_id, open_order)
        # a manager reopens the order: its parts can be recorded again
        self.order.with_user(self.manager)._workflow_reopen("Belt used but not recorded")
        self.assertEqual(self.order.state, "to_accept")
        part.with_user(self.technician).quantity = 2
        part.with_user(self.technician).action_consume()
        self.assertEqual(part.move_id.state, "done")
        self.assertEqual(self._on_hand(self.belt), 3)

    def test_closed_and_cancelled_orders_take_no_parts(self):
        cancelled = self.env["service.order"].create(
            {"partner_id": self.customer.id, "user_id": self.technician.id}
        )
        part = self._part(self.belt, 1, service_order_id=cancelled.id)
        cancelled.with_user(self.dispatcher).action_cancel("Customer fixed it himself")
        with self.assertRaisesRegex(UserError, rf"Order {cancelled.name} is Cancelled"):
            self._part(self.belt, 1, service_order_id=cancelled.id)
        with self.assertRaisesRegex(UserError, rf"Order {cancelled.name} is Cancelled"):
            part.with_user(self.technician).action_consume()
        self.assertEqual(part.state, "draft")
        self.assertEqual(self._parts_of(cancelled), part)
        closed = self._move_order_to(self.order, "done")
        # the customer's feedback closes the order
        self.env["service.feedback"].with_user(self.dispatcher).create(
            {"service_order_id": closed.id, "score": 5, "channel": "phone"}
        )
        self.assertEqual(closed.state, "closed")
        with self.assertRaisesRegex(UserError, rf"Order {closed.name} is Closed"):
            self._part(self.belt, 1)
        self.assertFalse(self._parts_of(closed))
        self.assertEqual(self._on_hand(self.belt), 5)

    def test_parts_consumed_before_acceptance(self):
        """The technician records the parts up to the customer's acceptance."""
        self._move_order_to(self.order, "to_accept")
        part = (
            self.env["service.order.part"]
            .with_user(self.technician)
            .create({"service_order_id": self.order.id, "product_id": self.belt.id, "quantity": 2})
        )
        part.with_user(self.technician).action_consume()
        self.assertEqual(part.move_id.state, "done")
        self.assertEqual(self._on_hand(self.belt), 3)

    def test_consume_beyond_stock_is_the_warehouse_decision(self):
        part = self._part(self.belt, 7)
        error = "Part Drum belt 1270 J5 of .*: only the warehouse .* may allow"
        with self.assertRaisesRegex(AccessError, error):
            part.with_user(self.technician).write({"allow_negative": True})
        self.assertFalse(part.allow_negative)
        with self.assertRaisesRegex(AccessError, error):
            self.env["service.order.part"].with_user(self.technician).create(
                {
                    "service_order_id": self.order.id,
                    "product_id": self.belt.id,
                    "quantity": 9,
                    "allow_negative": True,
                }
            )
        self.assertEqual(self._parts_of(self.order), part)
        with self.assertRaisesRegex(UserError, "Not enough Drum belt"):
            part.with_user(self.technician).action_consume()
        self.assertEqual(self._on_hand(self.belt), 5)
        # the warehouse agrees to the shortage of 7; the technician raising
        # the quantity needs its consent again
        part.with_user(self.stock_user).allow_negative = True
        part.with_user(self.technician).quantity = 1000
        self.assertFalse(part.allow_negative)
        with self.assertRaisesRegex(UserError, "Not enough Drum belt"):
            part.with_user(self.technician).action_consume()
        part.with_user(self.technician).quantity = 7
        part.with_user(self.stock_user).allow_negative = True
        # unticking is anyone's choice
        part.with_user(self.technician).allow_negative = False
        part.with_user(self.stock_user).allow_negative = True
        part.with_user(self.technician).action_consume()
        self.assertEqual(part.move_id.state, "done")
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.belt.id), ("location_id", "=", self.stock.id)]
        )
        self.assertEqual(sum(quants.mapped("quantity")), -2)

    def test_quantity_upper_bound(self):
        with self.assertRaisesRegex(ValidationError, "a quantity of 1000000.0 is more than"):
            self._part(self.belt, 1000000)
        part = self._part(self.belt, 100000)
        with (
            self.assertRaisesRegex(ValidationError, rf"Drum belt 1270 J5 of {self.order.name}"),
            self.env.cr.savepoint(),
        ):
            part.with_user(self.technician).quantity = 100001
        self.assertEqual(part.quantity, 100000)
