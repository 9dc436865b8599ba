from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Gao Jing", "email": "gao.jing@example.com"}
        )
        cls.other = cls.env["res.partner"].create({"name": "Ma Lin", "email": "ma.lin@example.com"})
        cls.portal_user = new_test_user(
            cls.env, "sq_portal_web", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.order = cls.env["service.order"].create({"partner_id": cls.customer.id})
        cls.other_order = cls.env["service.order"].create({"partner_id": cls.other.id})
        cls.foreign = cls.env["service.complaint"].create({"partner_id": cls.other.id})

    def _form_token(self):
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertNotIn(self.other_order.name, response.text)
        return response.text.split('name="csrf_token" value="')[1].split('"')[0]

    def test_portal_customer_files_and_follows_a_complaint(self):
        self.authenticate("sq_portal_web", "sq_portal_web")
        token = self._form_token()
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": token,
                "service_order_id": self.order.id,
                "category_id": self.env.ref("service_quality.service_complaint_category_delay").id,
                "description": "The technician came <b>three hours</b> late.",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["service.complaint"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.service_order_id, self.order)
        self.assertIn("&lt;b&gt;three hours&lt;/b&gt;", complaint.description)
        self.assertTrue(response.url.endswith(f"/my/complaints/{complaint.id}"))
        listing = self.url_open("/my/complaints")
        self.assertIn(complaint.name, listing.text)
        self.assertNotIn(self.foreign.name, listing.text)
        # Someone else's complaint: back to /my, nothing shown.
        response = self.url_open(f"/my/complaints/{self.foreign.id}")
        self.assertNotIn(self.foreign.name, response.text)

    def test_portal_cannot_complain_about_another_customers_order(self):
        self.authenticate("sq_portal_web", "sq_portal_web")
        token = self._form_token()
        response = self.url_open(
            "/my/complaints/new",
            data={"csrf_token": token, "service_order_id": self.other_order.id, "description": "x"},
        )
        self.assertIn("This service order is not yours.", response.text)
        self.assertFalse(
            self.env["service.complaint"].search([("partner_id", "=", self.customer.id)])
        )
        response = self.url_open(
            "/my/complaints/new", data={"csrf_token": token, "description": " "}
        )
        self.assertIn("Tell us what went wrong.", response.text)
