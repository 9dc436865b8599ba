"""Tool categories on existing databases.

Categories created since the tool room was installed have a code sequence
(and usually a code prefix): they are tool categories. Those that existed
before (Odoo's HR equipment: computers, monitors, printers...) have neither
and stay out of the tool register. Equipment follows its category."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE maintenance_equipment_category
                  SET is_tool = TRUE
                WHERE tool_sequence_id IS NOT NULL OR tool_code_prefix IS NOT NULL"""
        )
    )
    cr.execute(
        SQL(
            """UPDATE maintenance_equipment equipment
                  SET is_tool = category.is_tool
                 FROM maintenance_equipment_category category
                WHERE category.id = equipment.category_id
                  AND equipment.is_tool IS DISTINCT FROM category.is_tool"""
        )
    )
