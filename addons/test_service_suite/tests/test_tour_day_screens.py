"""The screens people live in, in a real browser, in English and zh_CN:
the managers' dashboard, the tool room run by code (scanning included),
the customer's service request on the portal, and the technician's day on a
390 x 844 phone."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

ADDONS = ["service_quality", "service_training", "equipment_care"]


class TourLanguages(HttpCase):
    """Run a tour once per language for the user who runs it."""

    @classmethod
    def _load_zh_cn(cls):
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(ADDONS, ["zh_CN"], overwrite=True)

    def _tour_in_languages(self, url, tour, user, reset=None, **kwargs):
        for lang in ("en_US", "zh_CN"):
            user.lang = lang
            if reset:
                reset()
            start = url.replace("{lang}", lang)
            self.start_tour(start, tour, login=user.login, timeout=300, **kwargs)
            yield lang


@tagged("post_install", "-at_install")
class TestDashboardTour(TourLanguages):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.manager = new_test_user(
            cls.env, "tour_dash_manager", groups="service_quality.group_service_manager",
            name="Dash Manager", password="tour_dash_manager",
        )  # fmt: skip
        customer = cls.env["res.partner"].create({"name": "Tour Dashboard Customer"})
        orders = cls.env["service.order"].create(
            [{"partner_id": customer.id, "appliance": f"Tour fridge {i}"} for i in range(2)]
        )
        # one order at risk: written as the SLA job writes it
        orders[0].sudo()._with_workflow_pass().write({"sla_status": "at_risk"})

    def test_dashboard(self):
        expected = self.env["service.dashboard"].with_user(self.manager).get_dashboard()
        at_risk = next(f for f in expected["figures"] if f["key"] == "at_risk")
        self.assertGreaterEqual(at_risk["value"], 1)
        for _lang in self._tour_in_languages(
            "/odoo/action-service_quality.service_dashboard_action",
            "service_dashboard_tour",
            self.manager,
        ):
            pass
        zh = self.env["service.dashboard"].with_user(self.manager).with_context(lang="zh_CN")
        labels = {f["key"]: f["label"] for f in zh.get_dashboard()["figures"]}
        self.assertEqual(labels["open_orders"], "未完成工单")


@tagged("post_install", "-at_install")
class TestToolRegisterTour(TourLanguages):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.keeper = new_test_user(
            cls.env, "tour_keeper", groups="equipment_care.group_equipment_keeper",
            name="Tour Keeper", password="tour_keeper",
        )  # fmt: skip
        cls.env["hr.employee"].create({"name": "Tour Keeper", "user_id": cls.keeper.id})
        technician = new_test_user(
            cls.env, "tour_other_tech", groups="service_quality.group_service_user",
            name="Other Technician",
        )  # fmt: skip
        category = cls.env["maintenance.equipment.category"].create(
            {"name": "Tour instruments", "tool_code_prefix": "TRT-", "inspection_interval_days": 0}
        )
        cls.tools = cls.env["maintenance.equipment"].create(
            [{"name": f"Tour meter {i}", "category_id": category.id} for i in (1, 2)]
        )
        laptops = cls.env["maintenance.equipment.category"].create({"name": "Tour laptops"})
        cls.env["maintenance.equipment"].create({"name": "Tour laptop", "category_id": laptops.id})
        cls.order = cls.env["service.order"].create(
            {
                "name": "SO-TOUR-OPEN",
                "partner_id": cls.env["res.partner"].create({"name": "Tour Customer"}).id,
                "user_id": technician.id,
            }
        )

    def _reset(self):
        # the returned check-out of the previous language stays (a returned
        # check-out is evidence): the tool is made available again
        tool = self.tools[1]
        self.env["maintenance.request"].search([("equipment_id", "=", tool.id)]).unlink()
        tool._set_care_status("available")

    def test_tool_register(self):
        self.assertEqual(self.tools.mapped("tool_code"), ["TRT-00001", "TRT-00002"])
        for lang in self._tour_in_languages(
            "/odoo/action-equipment_care.maintenance_equipment_action_tool",
            "equipment_tool_register_tour",
            self.keeper,
            reset=self._reset,
        ):
            tool = self.tools[1]
            checkout = tool.checkout_ids.sorted("id")[-1:]
            self.assertEqual(len(tool.checkout_ids), 1 if lang == "en_US" else 2)
            self.assertEqual(checkout.service_order_id, self.order)
            self.assertEqual((checkout.state, checkout.return_condition), ("returned", "ok"))
            fault = self.env["maintenance.request"].search([("equipment_id", "=", tool.id)])
            self.assertEqual(fault.maintenance_type, "corrective")
            self.assertEqual(tool.care_status, "in_repair")


@tagged("post_install", "-at_install")
class TestPortalRequestTour(TourLanguages):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Portal Customer",
                "email": "tour.portal@example.com",
                "street": "1 Tour Road",
                "city": "Shanghai",
            }
        )
        cls.portal_user = new_test_user(
            cls.env, "tour_portal", groups="base.group_portal", partner_id=cls.customer.id,
            password="tour_portal",
        )  # fmt: skip
        cls.dispatcher = new_test_user(
            cls.env, "tour_portal_dispatcher", groups="service_quality.group_service_dispatcher",
            name="Tour Dispatcher",
        )  # fmt: skip
        around_the_clock = cls.env["resource.calendar"].create(
            {
                "name": "Around the clock",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        cls.env["hr.employee"].create(
            {
                "name": "Tour Dispatcher",
                "user_id": cls.dispatcher.id,
                "resource_calendar_id": around_the_clock.id,
            }
        )
        cls.env["service.team"].search([]).write({"dispatcher_ids": [Command.clear()]})
        cls.env["service.team"].create(
            {"name": "Tour portal team", "dispatcher_ids": [Command.set(cls.dispatcher.ids)]}
        )
        cls.env["service.order"].create({"partner_id": cls.customer.id, "appliance": "Old one"})

    def test_request_a_service(self):
        Order = self.env["service.order"]
        for lang in self._tour_in_languages(
            "/my?tour_lang={lang}", "service_portal_request_tour", self.portal_user
        ):
            order = Order.search(
                [("partner_id", "=", self.customer.id), ("appliance", "=", "Tour dishwasher SN23")]
            )
            self.assertEqual(len(order), 1)
            self.assertEqual(order.intake_user_id, self.dispatcher)
            self.assertEqual(order.serial_number, "TOUR-0042")
            self.assertIn("2030-05-06", order.preferred_slots)
            mail = self.env["mail.mail"].search(
                [("model", "=", "service.order"), ("res_id", "=", order.id)]
            )
            self.assertEqual(len(mail), 1)
            # the confirmation reaches the customer in his language
            self.assertIn("已收到" if lang == "zh_CN" else "is received", mail.subject)
            order.sudo().unlink()


@tagged("post_install", "-at_install")
class TestTechnicianPhoneTour(TourLanguages):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.technician = new_test_user(
            cls.env, "tour_phone_tech", groups="service_quality.group_service_user",
            name="Phone Technician", password="tour_phone_tech", tz="Asia/Shanghai",
        )  # fmt: skip
        cls.env["hr.employee"].create({"name": "Phone Technician", "user_id": cls.technician.id})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Customer", "street": "9 Tour Street", "city": "Shanghai",
             "phone": "+86 21 5555 0177"}
        )  # fmt: skip
        category = cls.env["maintenance.equipment.category"].create(
            {"name": "Phone tour tools", "tool_code_prefix": "TPT-", "inspection_interval_days": 0}
        )
        cls.tool = cls.env["maintenance.equipment"].create(
            {"name": "Tour multimeter", "category_id": category.id}
        )
        cls.belt = cls.env["product.product"].create(
            {"name": "Tour belt", "type": "consu", "is_storable": True}
        )
        stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.env.company.id)], limit=1)
            .lot_stock_id
        )
        cls.env["stock.quant"]._update_available_quantity(cls.belt, stock, 10)
        cls.stock = stock

    def _order(self):
        now = fields.Datetime.now()
        order = self.env["service.order"].create(
            {
                "partner_id": self.customer.id,
                "appliance": "Tour front loader",
                "user_id": self.technician.id,
                "appointment_start": now + timedelta(hours=1),
                "appointment_end": now + timedelta(hours=3),
                "diagnosis": "Worn belt",
                "plan": "Replace the belt",
                "planned_tool_ids": [Command.set(self.tool.ids)],
                "part_ids": [Command.create({"product_id": self.belt.id, "quantity": 1})],
            }
        )
        order.sudo()._with_workflow_pass().write({"state": "scheduled"})
        return order

    def test_technicians_day_on_a_phone(self):
        menu = self.env.ref("service_quality.service_quality_menu_root")
        self.orders = self.env["service.order"]

        def reset():
            self.orders.filtered(
                lambda o: o.state != "cancelled"
            ).sudo()._with_workflow_pass().write(
                {"appointment_start": False, "appointment_end": False, "state": "cancelled"}
            )
            self.orders |= self._order()

        for _lang in self._tour_in_languages(
            f"/odoo?menu_id={menu.id}",
            "service_technician_phone_tour",
            self.technician,
            reset=reset,
        ):
            order = self.orders[-1]
            self.assertEqual(order.state, "to_accept")
            self.assertEqual(order.signed_by, "Tour Customer")
            self.assertTrue(order.customer_signature)
            self.assertIn("Belt replaced", order.resolution)
            self.assertEqual(order.part_ids.state, "consumed")
            self.assertEqual(order.part_ids.move_id.state, "done")
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.belt, self.stock), 8)


@tagged("post_install", "-at_install")
class TestServiceHome(HttpCase):
    def test_technicians_open_on_their_agenda(self):
        technician = new_test_user(
            self.env, "home_tech", groups="service_quality.group_service_user"
        )
        dispatcher = new_test_user(
            self.env, "home_dispatch", groups="service_quality.group_service_dispatcher"
        )
        Order = self.env["service.order"]
        agenda = Order.with_user(technician)._action_service_home()
        self.assertEqual(agenda["res_model"], "service.order")
        self.assertEqual(
            agenda["id"], self.env.ref("service_quality.service_order_action_agenda").id
        )
        self.assertIn("search_default_my_appointments", agenda["context"])
        office = Order.with_user(dispatcher)._action_service_home()
        self.assertEqual(office["id"], self.env.ref("service_quality.service_order_action").id)
        menu = self.env.ref("service_quality.service_quality_menu_root")
        self.assertEqual(menu.action, self.env.ref("service_quality.service_order_action_home"))
