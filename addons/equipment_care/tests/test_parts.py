import io

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.pdf import PdfReader

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
