from odoo import api, fields, models


class ServiceComplaint(models.Model):
    _inherit = "service.complaint"

    faulty_lot_id = fields.Many2one(
        "stock.lot",
        string="Faulty Part Lot/Serial",
        index="btree_not_null",
        tracking=True,
        help="The lot or serial number of the spare part that caused the complaint.",
    )
    faulty_product_id = fields.Many2one(
        related="faulty_lot_id.product_id", store=True, string="Faulty Part"
    )
    faulty_supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier of the Faulty Part",
        compute="_compute_faulty_supplier_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Taken from the receipt of the lot; counts against the supplier's evaluation.",
    )

    @api.depends("faulty_lot_id")
    def _compute_faulty_supplier_id(self):
        lots = self.faulty_lot_id
        supplier = {}
        if lots:
            # sudo: the supplier of a lot is a fact quality staff need without stock rights
            lines = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", lots.ids),
                        ("state", "=", "done"),
                        ("picking_code", "=", "incoming"),
                    ],
                    order="date",
                )
            )
            for line in lines:
                if line.picking_id.partner_id:
                    supplier.setdefault(
                        line.lot_id.id, line.picking_id.partner_id.commercial_partner_id
                    )
        for complaint in self:
            complaint.faulty_supplier_id = supplier.get(complaint.faulty_lot_id.id, False)

    def _workflow_locked_fields(self):
        # the faulty part and its supplier count in the supplier's evaluation
        return (*super()._workflow_locked_fields(), "faulty_lot_id", "faulty_supplier_id")
