"""The order kanban shows the states in workflow order, empty ones too."""

from odoo.tests import tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestOrderKanban(ServiceOrderCommon):
    def test_states_in_workflow_order_with_empty_columns(self):
        self._create_order()
        groups = self.env["service.order"].web_read_group(
            [("partner_id", "=", self.customer.id)], ["state"], ["state"]
        )["groups"]
        states = [group["state"] for group in groups]
        workflow = [key for key, _label in self.env["service.order"]._fields["state"].selection]
        self.assertEqual(states, workflow)
        counts = {group["state"]: group["state_count"] for group in groups}
        self.assertEqual(counts["new"], 1)
        self.assertEqual(counts["closed"], 0, "empty columns are shown too")
