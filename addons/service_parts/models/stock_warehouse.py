from odoo import _, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    service_parts_type_id = fields.Many2one(
        "stock.picking.type",
        string="Service Parts Operation Type",
        check_company=True,
        copy=False,
        help="Transfers that reserve the spare parts of service orders.",
    )
    quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Quarantine Location",
        check_company=True,
        copy=False,
        help="Where received parts that failed their incoming inspection wait for their "
        "return to the supplier.",
    )
    van_parent_location_id = fields.Many2one(
        "stock.location",
        string="Vans",
        check_company=True,
        copy=False,
        help="Parent of the technicians' van locations.",
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        values.update(
            {
                "quarantine_location_id": {
                    "name": _("Quarantine"),
                    "active": True,
                    "usage": "internal",
                },
                "van_parent_location_id": {
                    "name": _("Vans"),
                    "active": True,
                    "usage": "view",
                },
            }
        )
        return values

    def _get_sequence_values(self, name=False, code=False):
        values = super()._get_sequence_values(name=name, code=code)
        values["service_parts_type_id"] = {
            "name": _("%(name)s Sequence service parts", name=self.name),
            "prefix": self.code + "/" + (self.service_parts_type_id.sequence_code or "SP") + "/",
            "padding": 5,
            "company_id": self.company_id.id,
        }
        return values

    def _get_picking_type_create_values(self, max_sequence):
        data, next_sequence = super()._get_picking_type_create_values(max_sequence)
        data["service_parts_type_id"] = {
            "name": _("Service Parts"),
            "code": "internal",
            "default_location_src_id": self.lot_stock_id.id,
            "default_location_dest_id": self.env.ref(
                "equipment_care.stock_location_service_consumption"
            ).id,
            "sequence": next_sequence + 1,
            "sequence_code": "SP",
            "company_id": self.company_id.id,
            "use_existing_lots": True,
            "use_create_lots": False,
        }
        return data, next_sequence + 2

    def _get_picking_type_update_values(self):
        data = super()._get_picking_type_update_values()
        data["service_parts_type_id"] = {
            "active": self.active,
            "barcode": self.code.replace(" ", "").upper() + "SP",
        }
        return data

    def _service_parts_setup(self):
        """Give existing warehouses their service parts operation type,
        quarantine and vans locations (new ones get them at creation)."""
        for warehouse in self:
            warehouse._create_missing_locations({})
            values = warehouse._create_or_update_sequences_and_picking_types()
            if values:
                warehouse.write(values)
