"""Security matrix of the suite.

1. Every model of the three addons x every role x read/create/write/unlink,
   checked through the ACLs (``has_access`` on an empty recordset) against the
   declared table ``EXPECTED`` below. The test FAILS when a model of our
   addons is missing from the table (a new model must get a deliberate line)
   or when the table names a model that no longer exists.
2. Record rules: technicians see their own orders only, company isolation
   with a second company, portal customers see only their own records; on
   the feature models: own check-outs, own training file (certifications,
   attendances, assessments), complaints about own orders, own corrective
   actions and inspections, parts of own orders; company isolation of
   complaints, inspections, sessions, plans, care plans, retention requests.
3. Access a role needs for its job, with its denials: dispatchers and the
   corrective actions of complaints, archivists and archived records, HR
   officers and the tool register.

Each cell is the access the role needs for its job; a change of ACL or rule
changes the cell with it.

To extend: add one line per new model to ``EXPECTED`` (letters ``r`` read,
``c`` create, ``w`` write, ``u`` unlink, in any order; ``""`` for none), one
entry per role of ``ROLES``.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.common import create_role_users

OUR_MODULES = (
    "service_quality",
    "service_training",
    "equipment_care",
    "service_installed_base",
    "service_sale",
    "service_audit",
    "service_contract",
)
OPERATIONS = {"r": "read", "c": "create", "w": "write", "u": "unlink"}

# role -> groups of its test user
ROLES = {
    "technician": "service_quality.group_service_user",
    "dispatcher": "service_quality.group_service_dispatcher",
    "manager": "service_quality.group_service_manager",
    "inspector": "service_quality.group_quality_inspector",
    "training_officer": "service_training.group_training_officer",
    "equipment_keeper": "equipment_care.group_equipment_keeper",
    "archivist": "service_quality.group_archivist",
    "stock_user": "stock.group_stock_user",
    "portal": "base.group_portal",
    "public": "base.group_public",
}


def row(technician, dispatcher, manager, inspector, training_officer, equipment_keeper,
        archivist, stock_user, portal, public):  # fmt: skip
    return {
        "technician": technician,
        "dispatcher": dispatcher,
        "manager": manager,
        "inspector": inspector,
        "training_officer": training_officer,
        "equipment_keeper": equipment_keeper,
        "archivist": archivist,
        "stock_user": stock_user,
        "portal": portal,
        "public": public,
    }


# model -> permissions per role. Columns: technician, dispatcher, manager,
# inspector, training officer, equipment keeper, archivist, stock user,
# portal, public. Training officers and equipment keepers are technicians too
# (implied group); stock users are plain employees.
# fmt: off
EXPECTED = {
    # ------------------------------------------------------------------
    # service_quality: orders and reference data
    # ------------------------------------------------------------------
    # Technicians (and every role implying them) write their own orders (rules);
    # dispatchers create; managers delete; the stock user reads (equipment_care
    # rule) only the orders that have spare parts demand: reference, appointment.
    "service.order":      row("rw", "rwc", "rwcu", "rw", "rw", "rw", "rw", "r", "r", ""),
    "service.order.cancel":  # wizard: cancelling is a dispatcher's move
        row("", "rwcu", "rwcu", "", "", "", "", "", "", ""),
    # wizards asking the reason of a reopening or a legal hold: the rights are
    # checked by the action itself (managers reopen; archivists and managers hold)
    "service.workflow.reopen":
        row("rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "", ""),
    "service.legal.hold":
        row("rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "", ""),
    "service.category":   row("r", "r", "rwcu", "r", "r", "r", "r", "", "r", ""),
    "service.team":       row("r", "r", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.sla.policy": row("r", "r", "rwcu", "r", "r", "r", "r", "", "", ""),
    # Technicians (and the roles built on them) record a phone or visit rating
    # on their own orders but never edit it afterwards; dispatchers and
    # inspectors may correct one, managers delete.
    "service.feedback":   row("rc", "rwc", "rwcu", "rwc", "rc", "rc", "rc", "", "r", ""),
    # ------------------------------------------------------------------
    # service_quality: complaint ledger
    # ------------------------------------------------------------------
    # Archivists write archived complaints only (rule active = False): archived
    # records are read-only for everyone but them. Same rule on service.order.
    "service.complaint":  row("r", "rwc", "rwcu", "rwc", "r", "r", "rw", "", "r", ""),
    # categories are shown to every employee and on the portal; quality keeps them
    "service.complaint.category":
        row("r", "r", "rwcu", "rwcu", "r", "r", "r", "r", "r", ""),
    "service.complaint.cause":
        row("r", "r", "rwcu", "rwcu", "r", "r", "r", "", "", ""),
    # Owners (technicians) mark their own actions done (rule owner_id = user).
    # Dispatchers handle complaints: they add and plan the actions of a
    # complaint (never of an inspection); the effectiveness check is quality's.
    "service.corrective.action":
        row("rw", "rwc", "rwcu", "rwcu", "rw", "rw", "rw", "", "", ""),
    # emergency response: dispatchers and managers plan and drill, managers
    # delete; every service role reads the plans (company rule)
    "service.emergency.plan":
        row("r", "rwc", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.emergency.drill":
        row("r", "rwc", "rwcu", "r", "r", "r", "r", "", "", ""),
    # what each customer was told: written by the notification code only
    "service.customer.notification":
        row("", "r", "r", "", "", "", "", "", "", ""),
    "service.complaint.ledger.wizard":
        row("", "rwcu", "rwcu", "rwcu", "", "", "", "", "", ""),
    # ------------------------------------------------------------------
    # service_quality: inspections and reporting
    # ------------------------------------------------------------------
    # the inspected person reads their own inspections (rule owner_id = user)
    "service.inspection":
        row("r", "r", "rwcu", "rwcu", "r", "r", "r", "", "", ""),
    "service.inspection.line":
        row("r", "r", "rwcu", "rwcu", "r", "r", "r", "", "", ""),
    "service.inspection.template":
        row("", "", "rwcu", "rwcu", "", "", "", "", "", ""),
    "service.inspection.template.line":
        row("", "", "rwcu", "rwcu", "", "", "", "", "", ""),
    # KPI view (SQL view): read-only, for dispatchers, quality and managers.
    # (Reported: training officers, whose assessments reuse these scores, cannot read it.)
    "service.kpi.report":
        row("", "r", "r", "r", "", "", "", "", "", ""),
    "service.quality.monthly.wizard":
        row("", "rwcu", "rwcu", "rwcu", "", "", "", "", "", ""),
    # ------------------------------------------------------------------
    # service_quality: records retention
    # ------------------------------------------------------------------
    "service.retention.policy":
        row("r", "r", "r", "r", "r", "r", "rwcu", "", "", ""),
    # requests are proposed by the job, never created by hand; archivists decide
    "service.retention.request":
        row("", "", "r", "", "", "", "rw", "", "", ""),
    "service.retention.request.line":
        row("", "", "r", "", "", "", "r", "", "", ""),
    # immutable: nobody writes or deletes (the model refuses it even for admins)
    "service.retention.register":
        row("", "", "r", "", "", "", "r", "", "", ""),
    "service.access.log":
        row("", "", "r", "", "", "", "r", "", "", ""),
    # Service users ask to borrow an archived record (rule: own requests);
    # archivists and managers decide (buttons, not writes).
    "service.records.borrowing":
        row("rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "rwc", "", "", ""),
    # ------------------------------------------------------------------
    # service_training: every employee reads (rules: own file only), the
    # training officer manages
    # ------------------------------------------------------------------
    "training.certification.type":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    # archivists: archived certifications only (rule active = False)
    "training.certification":
        row("r", "r", "r", "r", "rwcu", "r", "rw", "r", "", ""),
    "training.certification.revoke":  # wizard
        row("", "", "", "", "rwc", "", "", "", "", ""),
    "training.course":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    "training.session":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    "training.attendance":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    "training.evaluation":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    "training.assessment":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    # (Reported: plans are approved by the officer who wrote them; managers
    # cannot even read them.)
    "training.plan":
        row("", "", "", "", "rwcu", "", "", "", "", ""),
    "training.plan.line":
        row("", "", "", "", "rwcu", "", "", "", "", ""),
    # ------------------------------------------------------------------
    # equipment_care
    # ------------------------------------------------------------------
    # technicians check tools out in their own name (rule user_id = user)
    "equipment.checkout":
        row("rwc", "rwc", "rwc", "rwc", "rwc", "rwcu", "rwc", "", "", ""),
    "equipment.calibration":
        row("r", "r", "r", "r", "r", "rwcu", "r", "", "", ""),
    "equipment.care.plan":
        row("r", "r", "r", "r", "r", "rwcu", "r", "", "", ""),
    # requested and approved by two different keepers; nobody deletes the record
    "equipment.retirement":
        row("", "", "", "", "", "rwc", "", "", "", ""),
    # technicians list the parts of their own orders (rule); warehouse staff see
    # the demand of every order and set lots/locations
    "service.order.part":
        row("rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rw", "", ""),
    # ------------------------------------------------------------------
    # service_installed_base and service_sale
    # ------------------------------------------------------------------
    # every service role reads the installed base; dispatchers keep it
    "service.installed.product":
        row("r", "rwc", "rwcu", "r", "r", "r", "r", "", "", ""),
    # technicians quote their own orders (rule); prices are a field group
    # (service_sale.group_service_prices); portal customers read their own
    # sent quotes and answer through the portal controller (sudo, token)
    "service.quote":
        row("rwc", "rwcu", "rwcu", "rwc", "rwc", "rwc", "rwc", "", "r", ""),
    "service.quote.line":
        row("rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "", "r", ""),
    # revenue report: rows of own orders for technicians (rule), all for
    # dispatchers and quality; amounts need the price group
    "service.sale.report":
        row("r", "r", "r", "r", "r", "r", "r", "", "", ""),
    # ------------------------------------------------------------------
    # Odoo models our addons extend: Odoo's own ACLs apply
    # ------------------------------------------------------------------
    # Training officers imply hr.group_hr_user, which Odoo's hr_maintenance
    # (auto-installed) makes equipment managers (ACL rwcu) so HR can allocate
    # equipment. equipment_care narrows that (maintenance.equipment
    # _check_access and write): only keepers, or equipment managers who are not
    # HR officers, register, change and delete tools and categories; HR officers
    # keep "w" for the allocation fields only (employee, department, used by,
    # date). Archivists write archived tools only.
    "maintenance.equipment":
        row("r", "r", "r", "r", "rw", "rwcu", "rw", "r", "", ""),
    "maintenance.equipment.category":
        row("r", "r", "r", "r", "r", "rwcu", "r", "r", "", ""),
    # Odoo gives every employee full ACL rights on maintenance requests; Odoo's
    # rule limits them to requests they own, follow or are assigned to, so a
    # reporter can still delete their fault record with its re-check (reported).
    "maintenance.request":
        row("rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "", ""),
    # CRM is for sales users (none of these roles); the smart buttons are theirs
    "crm.lead":
        row("", "", "", "", "", "", "", "", "", ""),
    # HR officers only (training officers imply hr.group_hr_user)
    "hr.employee":
        row("", "", "", "", "rwcu", "", "", "", "", ""),
    # survey users only. (Reported: training officers cannot read exam answers.)
    "survey.user_input":
        row("", "", "", "", "", "", "", "", "", ""),
    "res.partner":
        row("r", "r", "r", "r", "r", "r", "r", "r", "r", "r"),
    "ir.actions.report":
        row("r", "r", "r", "r", "r", "r", "r", "r", "", ""),
    # Odoo's own rights (service_quality adds the evidence guards of the files
    # and messages of final records, test_evidence_lock.py)
    "ir.attachment":
        row("rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "", ""),
    "mail.message":
        row("rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "rwcu", "r"),
    # Training cadence: every employee reads the rules, training officers
    # maintain them; the gaps (written by the daily check) are read by
    # training officers and by dispatchers, who book the technicians.
    "training.cadence.rule":
        row("r", "r", "r", "r", "rwcu", "r", "r", "r", "", ""),
    "training.cadence.gap":
        row("", "r", "r", "", "r", "", "", "", "", ""),
    # ------------------------------------------------------------------
    # service_audit: certification cycle
    # ------------------------------------------------------------------
    # Every service role reads the objectives and the clause register;
    # quality inspectors maintain them, managers delete. Self-assessments are
    # the inspectors'; management reviews are held by managers and read by
    # inspectors. Evidence packs are printed by inspectors.
    "service.objective":
        row("r", "r", "rwcu", "rwc", "r", "r", "r", "", "", ""),
    "service.standard":
        row("r", "r", "rwcu", "rwc", "r", "r", "r", "", "", ""),
    "service.standard.clause":
        row("r", "r", "rwcu", "rwcu", "r", "r", "r", "", "", ""),
    "service.standard.control":
        row("r", "r", "rwcu", "rwc", "r", "r", "r", "", "", ""),
    "service.standard.evidence":
        row("r", "r", "rwcu", "rwcu", "r", "r", "r", "", "", ""),
    "service.self.assessment":
        row("", "", "rwcu", "rwc", "", "", "", "", "", ""),
    "service.self.assessment.line":
        row("", "", "rwcu", "rwcu", "", "", "", "", "", ""),
    "service.management.review":
        row("", "", "rwcu", "r", "", "", "", "", "", ""),
    "service.evidence.pack.wizard":
        row("", "", "rwcu", "rwcu", "", "", "", "", "", ""),
    # Rewards and penalties: inspectors propose, managers decide (approval
    # in the workflow), training officers read them with the assessments.
    # Returns and compensation: inspectors record, managers approve,
    # dispatchers read them on the complaint.
    "service.reward.penalty":
        row("", "", "rwcu", "rwc", "r", "", "", "", "", ""),
    "service.compensation":
        row("", "r", "rwcu", "rwc", "", "", "", "", "", ""),
    # product, sale and company records: Odoo's ACLs (Sales users sell, the
    # service roles only read products; service_sale creates the sale orders
    # and invoices of done orders as the system; sale_stock lets warehouse
    # users read and update sale orders for deliveries)
    "product.template":
        row("r", "r", "r", "r", "r", "r", "r", "r", "", ""),
    "sale.order":
        row("", "", "", "", "", "", "", "rw", "r", ""),
    "sale.order.line":
        row("", "", "", "", "", "", "", "rw", "r", ""),
    # ------------------------------------------------------------------
    # service_contract
    # ------------------------------------------------------------------
    # dispatchers draft contracts and plans, managers approve and delete;
    # technicians read (visits: of their own orders, rule); portal customers
    # read their own running contracts (rule)
    "service.contract":
        row("r", "rwc", "rwcu", "r", "r", "r", "r", "", "r", ""),
    "service.contract.line":
        row("r", "rwcu", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.contract.line.part":
        row("r", "rwcu", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.contract.plan":
        row("r", "rwc", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.contract.plan.review":
        row("r", "rwc", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.contract.visit":
        row("r", "rwcu", "rwcu", "r", "r", "r", "r", "", "", ""),
    "service.parts.forecast":
        row("", "", "", "", "", "", "", "", "", ""),
    "res.company":
        row("r", "r", "r", "r", "r", "r", "r", "r", "r", "r"),
    "res.config.settings":
        row("", "", "", "", "", "", "", "", "", ""),
}
# fmt: on


@tagged("post_install", "-at_install")
class TestSecurityMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = {}
        for role, groups in ROLES.items():
            if role == "public":
                cls.users[role] = cls.env.ref("base.public_user")
            else:
                cls.users[role] = new_test_user(cls.env, f"matrix_{role}", groups=groups)

    def _our_models(self):
        """Models defined or extended by our addons (their ir.model rows carry
        an xml id of one of our modules), minus abstract models (no ACL)."""
        data = self.env["ir.model.data"].search(
            [("module", "in", OUR_MODULES), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id")).exists()
        return sorted(
            m.model for m in models if m.model in self.env and not self.env[m.model]._abstract
        )

    def test_every_model_of_our_addons_is_in_the_table(self):
        ours = set(self._our_models())
        missing = sorted(ours - set(EXPECTED))
        stale = sorted(set(EXPECTED) - ours)
        self.assertFalse(
            missing,
            f"Models of our addons without a line in EXPECTED of {__file__}: {missing}. "
            "Declare who may read/create/write/unlink them.",
        )
        self.assertFalse(stale, f"EXPECTED names models our addons do not have: {stale}")
        for model, perms in EXPECTED.items():
            self.assertEqual(set(perms), set(ROLES), f"{model}: one entry per role")

    def test_access_matrix(self):
        mismatches = []
        checked = 0
        for model, perms in EXPECTED.items():
            if model not in self.env:
                continue  # reported by test_every_model_of_our_addons_is_in_the_table
            for role, letters in perms.items():
                records = self.env[model].with_user(self.users[role]).browse()
                for letter, operation in OPERATIONS.items():
                    checked += 1
                    expected = letter in letters
                    allowed = records.has_access(operation)
                    if allowed != expected:
                        mismatches.append(
                            f"{model} / {role} / {operation}: expected "
                            f"{'allowed' if expected else 'denied'}, is "
                            f"{'allowed' if allowed else 'denied'}"
                        )
        self.assertGreaterEqual(checked, len(EXPECTED) * len(ROLES) * 4)
        self.assertFalse(mismatches, "Access matrix differs:\n" + "\n".join(mismatches))

    def test_denied_operation_raises_access_error(self):
        """The matrix above relies on ``has_access``; prove that a denial is
        a real ``AccessError`` on an actual call."""
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.users["stock_user"]).create(
                {"partner_id": self.users["portal"].partner_id.id}
            )
        with self.assertRaises(AccessError):
            self.env["service.category"].with_user(self.users["technician"]).create(
                {"name": "Not allowed"}
            )
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.users["public"]).search([])

    def test_denied_feature_operations_raise_access_error(self):
        """A few denials of the feature models, as real calls."""
        users = self.users
        denied = [
            ("stock_user", "equipment.checkout", "search", None),
            ("stock_user", "service.complaint", "search", None),
            ("technician", "training.plan", "search", None),
            ("technician", "service.inspection.template", "search", None),
            ("technician", "service.kpi.report", "search", None),
            ("equipment_keeper", "service.retention.request", "search", None),
            ("portal", "service.complaint.cause", "search", None),
            ("portal", "equipment.checkout", "search", None),
            ("public", "training.course", "search", None),
            ("public", "service.retention.policy", "search", None),
            ("technician", "service.inspection", "create", {"subject_type": "order"}),
            ("technician", "training.course", "create", {"name": "Self-taught"}),
            ("inspector", "equipment.care.plan", "create", {"name": "Not mine"}),
            ("archivist", "service.retention.request", "create", {}),
            ("manager", "equipment.retirement", "create", {}),
            ("dispatcher", "service.complaint.cause", "create", {"name": "Guess"}),
            ("training_officer", "service.complaint", "create", {}),
        ]
        for role, model, operation, values in denied:
            Model = self.env[model].with_user(users[role])
            with self.subTest(role=role, model=model, operation=operation):
                with self.assertRaises(AccessError):
                    if operation == "search":
                        Model.search([], limit=1)
                    else:
                        Model.create(values)


@tagged("post_install", "-at_install")
class TestRecordRules(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Second Service Co"})
        cls.tech_1 = new_test_user(cls.env, "rr_tech1", groups="service_quality.group_service_user")
        cls.tech_2 = new_test_user(cls.env, "rr_tech2", groups="service_quality.group_service_user")
        cls.dispatcher = new_test_user(
            cls.env, "rr_dispatch", groups="service_quality.group_service_dispatcher"
        )
        cls.manager_both = new_test_user(
            cls.env,
            "rr_manager_both",
            groups="service_quality.group_service_manager",
            company_ids=[Command.set([cls.company.id, cls.company_2.id])],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Own Customer"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.portal = new_test_user(
            cls.env, "rr_portal", groups="base.group_portal", partner_id=cls.customer.id
        )
        Order = cls.env["service.order"]
        cls.order_1 = Order.create({"partner_id": cls.customer.id, "user_id": cls.tech_1.id})
        cls.order_2 = Order.create({"partner_id": cls.other_customer.id, "user_id": cls.tech_2.id})
        cls.order_other_company = Order.with_company(cls.company_2).create(
            {"partner_id": cls.customer.id, "company_id": cls.company_2.id}
        )
        cls.orders = cls.order_1 | cls.order_2 | cls.order_other_company

    def _visible(self, user, model="service.order", records=None):
        records = records if records is not None else self.orders
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_technician_sees_own_orders_only(self):
        self.assertEqual(self._visible(self.tech_1), self.order_1)
        self.assertEqual(self._visible(self.tech_2), self.order_2)
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.tech_1).read(["name"])
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.tech_1).write({"description": "<p>not mine</p>"})
        self.order_1.with_user(self.tech_1).write({"description": "<p>mine</p>"})

    def test_first_responder_sees_the_order_received(self):
        order = self.env["service.order"].create(
            {"partner_id": self.customer.id, "intake_user_id": self.tech_2.id}
        )
        self.assertIn(order, self.env["service.order"].with_user(self.tech_2).search([]))
        self.assertNotIn(order, self.env["service.order"].with_user(self.tech_1).search([]))

    def test_dispatcher_sees_all_orders_of_their_company(self):
        self.assertEqual(self._visible(self.dispatcher), self.order_1 | self.order_2)
        with self.assertRaises(AccessError):
            self.order_other_company.with_user(self.dispatcher).read(["name"])

    def test_company_isolation(self):
        manager = self.manager_both
        in_first = (
            self.env["service.order"]
            .with_user(manager)
            .with_context(allowed_company_ids=[self.company.id])
        )
        self.assertNotIn(self.order_other_company, in_first.search([("id", "in", self.orders.ids)]))
        in_both = (
            self.env["service.order"]
            .with_user(manager)
            .with_context(allowed_company_ids=[self.company.id, self.company_2.id])
        )
        self.assertEqual(in_both.search([("id", "in", self.orders.ids)]), self.orders)

    def test_portal_sees_own_orders_only(self):
        self.assertEqual(self._visible(self.portal), self.order_1)
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.portal).read(["name"])
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.portal).write({"description": "<p>portal</p>"})

    def test_feedback_follows_the_order(self):
        # rated orders are finished (set directly: the path is not the point here)
        (self.order_1 | self.order_2).sudo().write({"state": "done"})
        Feedback = self.env["service.feedback"]
        fb_1 = Feedback.create({"service_order_id": self.order_1.id, "score": 5})
        fb_2 = Feedback.create({"service_order_id": self.order_2.id, "score": 3})
        both = fb_1 | fb_2
        self.assertEqual(self._visible(self.tech_1, "service.feedback", both), fb_1)
        self.assertEqual(self._visible(self.portal, "service.feedback", both), fb_1)
        self.assertEqual(self._visible(self.dispatcher, "service.feedback", both), both)
        with self.assertRaises(AccessError):
            fb_2.with_user(self.tech_1).read(["score"])

    def test_complaints_follow_the_order_and_the_customer(self):
        Complaint = self.env["service.complaint"]
        c_1 = Complaint.create(
            {"partner_id": self.customer.id, "service_order_id": self.order_1.id}
        )
        c_2 = Complaint.create(
            {"partner_id": self.other_customer.id, "service_order_id": self.order_2.id}
        )
        both = c_1 | c_2
        self.assertEqual(self._visible(self.tech_1, "service.complaint", both), c_1)
        self.assertEqual(self._visible(self.portal, "service.complaint", both), c_1)
        self.assertEqual(self._visible(self.dispatcher, "service.complaint", both), both)

    def test_certifications_own_for_employees_all_for_officers(self):
        cert_type = self.env["training.certification.type"].create(
            {"name": "Refrigerant handling", "code": "RR-REF"}
        )
        employee_1 = self.env["hr.employee"].create({"name": "Tech One", "user_id": self.tech_1.id})
        employee_2 = self.env["hr.employee"].create({"name": "Tech Two", "user_id": self.tech_2.id})
        Cert = self.env["training.certification"]
        cert_1 = Cert.create(
            {"employee_id": employee_1.id, "type_id": cert_type.id, "number": "C1"}
        )
        cert_2 = Cert.create(
            {"employee_id": employee_2.id, "type_id": cert_type.id, "number": "C2"}
        )
        both = cert_1 | cert_2
        self.assertEqual(self._visible(self.tech_1, "training.certification", both), cert_1)
        self.assertEqual(self._visible(self.dispatcher, "training.certification", both), both)
        officer = new_test_user(
            self.env, "rr_officer", groups="service_training.group_training_officer"
        )
        self.assertEqual(self._visible(officer, "training.certification", both), both)
        with self.assertRaises(AccessError):
            cert_2.with_user(self.tech_1).read(["number"])


@tagged("post_install", "-at_install")
class TestFeatureRecordRules(TransactionCase):
    """Own records and company isolation on the feature models: check-outs,
    training file, corrective actions, inspections, spare parts, complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Second Service Co (features)"})
        tech = "service_quality.group_service_user"
        cls.tech_1 = new_test_user(cls.env, "fr_tech1", groups=tech, name="Feng Tech")
        cls.tech_2 = new_test_user(cls.env, "fr_tech2", groups=tech, name="Gao Tech")
        cls.keeper = new_test_user(
            cls.env, "fr_keeper", groups="equipment_care.group_equipment_keeper"
        )
        cls.officer = new_test_user(
            cls.env, "fr_officer", groups="service_training.group_training_officer"
        )
        cls.inspector = new_test_user(
            cls.env, "fr_inspector", groups="service_quality.group_quality_inspector"
        )
        cls.stock_user = new_test_user(cls.env, "fr_stock", groups="stock.group_stock_user")
        cls.all_roles_both = new_test_user(
            cls.env,
            "fr_all_both",
            groups=",".join(
                [
                    "service_quality.group_service_manager",
                    "service_quality.group_archivist",
                    "service_training.group_training_officer",
                    "equipment_care.group_equipment_keeper",
                ]
            ),
            company_ids=[Command.set([cls.company.id, cls.company_2.id])],
        )
        cls.all_roles_first = new_test_user(
            cls.env,
            "fr_all_first",
            groups=",".join(
                [
                    "service_quality.group_service_manager",
                    "service_quality.group_archivist",
                    "service_training.group_training_officer",
                    "equipment_care.group_equipment_keeper",
                ]
            ),
        )
        Employee = cls.env["hr.employee"]
        cls.emp_1 = Employee.create({"name": "Feng Tech", "user_id": cls.tech_1.id})
        cls.emp_2 = Employee.create({"name": "Gao Tech", "user_id": cls.tech_2.id})
        cls.customer = cls.env["res.partner"].create({"name": "Xu Min"})
        cls.other_customer = cls.env["res.partner"].create({"name": "He Lan"})
        Order = cls.env["service.order"]
        cls.order_1 = Order.create({"partner_id": cls.customer.id, "user_id": cls.tech_1.id})
        cls.order_2 = Order.create({"partner_id": cls.other_customer.id, "user_id": cls.tech_2.id})

    def _visible(self, user, records, companies=None):
        Model = self.env[records._name].with_user(user)
        if companies:
            Model = Model.with_context(allowed_company_ids=companies.ids)
        return Model.with_context(active_test=False).search([("id", "in", records.ids)])

    def _assert_own_only(self, records_1, records_2):
        """tech_1 sees and reads ``records_1`` only, tech_2 ``records_2`` only."""
        both = records_1 | records_2
        self.assertEqual(self._visible(self.tech_1, both), records_1)
        self.assertEqual(self._visible(self.tech_2, both), records_2)
        with self.assertRaises(AccessError):
            records_2.with_user(self.tech_1).read(["display_name"])

    # ------------------------------------------------------------------
    # own records
    # ------------------------------------------------------------------
    def test_technician_sees_own_checkouts(self):
        Tool = self.env["maintenance.equipment"]
        tools = Tool.create([{"name": "Leak detector"}, {"name": "Vacuum pump"}])
        Checkout = self.env["equipment.checkout"]
        expected = fields.Datetime.now() + timedelta(days=1)
        out_1 = Checkout.create(
            {"equipment_id": tools[0].id, "employee_id": self.emp_1.id,
             "expected_return_at": expected}
        )  # fmt: skip
        out_2 = Checkout.create(
            {"equipment_id": tools[1].id, "employee_id": self.emp_2.id,
             "expected_return_at": expected}
        )  # fmt: skip
        self._assert_own_only(out_1, out_2)
        with self.assertRaises(AccessError):
            out_2.with_user(self.tech_1).action_check_in()
        self.assertEqual(out_2.state, "out")
        # keepers see every check-out, stock users none
        self.assertEqual(self._visible(self.keeper, out_1 | out_2), out_1 | out_2)
        with self.assertRaises(AccessError):
            out_1.with_user(self.stock_user).read(["state"])

    def test_technician_sees_own_training_file(self):
        cert_type = self.env["training.certification.type"].create(
            {"name": "Gas appliance safety", "code": "FR-GAS", "validity_months": 24}
        )
        Cert = self.env["training.certification"]
        cert_1 = Cert.create({"employee_id": self.emp_1.id, "type_id": cert_type.id,
                              "number": "FR-1", "issue_date": "2026-01-05"})  # fmt: skip
        cert_2 = Cert.create({"employee_id": self.emp_2.id, "type_id": cert_type.id,
                              "number": "FR-2", "issue_date": "2026-01-05"})  # fmt: skip
        self._assert_own_only(cert_1, cert_2)
        course = self.env["training.course"].create(
            {"name": "Gas safety (rules)", "category": "safety", "mode": "classroom", "hours": 4}
        )
        session = self.env["training.session"].create(
            {"course_id": course.id, "date_start": "2026-02-02 01:00:00",
             "date_end": "2026-02-02 09:00:00"}
        )  # fmt: skip
        Attendance = self.env["training.attendance"]
        att_1 = Attendance.create({"session_id": session.id, "employee_id": self.emp_1.id})
        att_2 = Attendance.create({"session_id": session.id, "employee_id": self.emp_2.id})
        self._assert_own_only(att_1, att_2)
        Assessment = self.env["training.assessment"]
        period = {"period": "monthly", "date_from": "2026-01-01", "date_to": "2026-01-31"}
        ass_1 = Assessment.create(dict(period, employee_id=self.emp_1.id))
        ass_2 = Assessment.create(dict(period, employee_id=self.emp_2.id))
        self._assert_own_only(ass_1, ass_2)
        # the own file is read-only for its employee
        with self.assertRaises(AccessError):
            cert_1.with_user(self.tech_1).write({"number": "FR-1-forged"})
        with self.assertRaises(AccessError):
            att_1.with_user(self.tech_1).write({"theory_score": 100})
        with self.assertRaises(AccessError):
            ass_1.with_user(self.tech_1).write({"technical_score": 100})
        # training officers see the whole file
        everything = (cert_1 | cert_2, att_1 | att_2, ass_1 | ass_2)
        for records in everything:
            self.assertEqual(self._visible(self.officer, records), records)

    def test_complaints_about_own_orders(self):
        Complaint = self.env["service.complaint"]
        c_1 = Complaint.create(
            {"partner_id": self.customer.id, "service_order_id": self.order_1.id}
        )
        c_2 = Complaint.create(
            {"partner_id": self.other_customer.id, "service_order_id": self.order_2.id}
        )
        c_none = Complaint.create({"partner_id": self.customer.id})
        self.assertEqual(self._visible(self.tech_1, c_1 | c_2 | c_none), c_1)
        with self.assertRaises(AccessError):
            c_2.with_user(self.tech_1).read(["name"])
        with self.assertRaises(AccessError):
            c_1.with_user(self.tech_1).write({"findings": "<p>not mine to write</p>"})
        self.assertEqual(self._visible(self.inspector, c_1 | c_2 | c_none), c_1 | c_2 | c_none)

    def test_corrective_actions_and_inspections_of_their_owner(self):
        complaint = self.env["service.complaint"].create({"partner_id": self.customer.id})
        Action = self.env["service.corrective.action"]
        values = {"complaint_id": complaint.id, "deadline": "2026-04-01"}
        act_1 = Action.create(dict(values, name="Re-seal door", owner_id=self.tech_1.id))
        act_2 = Action.create(dict(values, name="Replace hose", owner_id=self.tech_2.id))
        self._assert_own_only(act_1, act_2)
        act_1.with_user(self.tech_1).action_done()
        self.assertEqual(act_1.state, "done")
        Inspection = self.env["service.inspection"]
        insp_1 = Inspection.create({"subject_type": "order", "service_order_id": self.order_1.id,
                                    "inspector_id": self.inspector.id})  # fmt: skip
        insp_2 = Inspection.create({"subject_type": "order", "service_order_id": self.order_2.id,
                                    "inspector_id": self.inspector.id})  # fmt: skip
        self._assert_own_only(insp_1, insp_2)
        with self.assertRaises(AccessError):
            insp_1.with_user(self.tech_1).write({"note": "<p>all good</p>"})
        self.assertEqual(self._visible(self.inspector, insp_1 | insp_2), insp_1 | insp_2)

    def test_spare_parts_of_own_orders(self):
        product = self.env["product.product"].create(
            {"name": "Door gasket", "type": "consu", "is_storable": True}
        )
        Part = self.env["service.order.part"]
        part_1 = Part.create({"service_order_id": self.order_1.id, "product_id": product.id})
        part_2 = Part.create({"service_order_id": self.order_2.id, "product_id": product.id})
        self._assert_own_only(part_1, part_2)
        # warehouse staff see the whole demand, and read (only) the orders it is for
        self.assertEqual(self._visible(self.stock_user, part_1 | part_2), part_1 | part_2)
        no_parts = self.env["service.order"].create({"partner_id": self.customer.id})
        orders = self.order_1 | self.order_2 | no_parts
        self.assertEqual(self._visible(self.stock_user, orders), self.order_1 | self.order_2)
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.stock_user).write({"diagnosis": "Warehouse note"})

    # ------------------------------------------------------------------
    # company isolation
    # ------------------------------------------------------------------
    def test_company_isolation_on_feature_models(self):
        c1, c2 = self.company, self.company_2
        course = self.env["training.course"].create(
            {"name": "Induction (rules)", "category": "culture", "mode": "classroom", "hours": 8}
        )
        order_c2 = self.env["service.order"].create(
            {"partner_id": self.customer.id, "company_id": c2.id}
        )

        def pair(model, values, values_2=None):
            Model = self.env[model]
            first = Model.create(dict(values, company_id=c1.id))
            second = Model.with_company(c2).create(dict(values_2 or values, company_id=c2.id))
            return first, second

        session = {"course_id": course.id, "date_start": "2026-05-04 01:00:00",
                   "date_end": "2026-05-04 09:00:00"}  # fmt: skip
        policy = self.env["service.retention.policy"].create(
            {
                "name": "Complaints (isolation)",
                "model_id": self.env["ir.model"]._get("service.complaint").id,
                "date_field": "closed_at",
                "years": 3,
                "action": "destroy",
                "active": False,
            }
        )
        tool_category = self.env["maintenance.equipment.category"].create(
            {"name": "Isolation meters"}
        )
        pairs = {
            "service.complaint": pair("service.complaint", {"partner_id": self.customer.id}),
            "service.inspection": pair(
                "service.inspection",
                {"subject_type": "order", "service_order_id": self.order_1.id},
                {"subject_type": "order", "service_order_id": order_c2.id},
            ),
            "training.session": pair("training.session", session),
            "training.plan": pair("training.plan", {"name": "Plan (isolation)", "year": 2026}),
            "equipment.care.plan": pair(
                "equipment.care.plan",
                {
                    "name": "Monthly check (isolation)",
                    "interval_days": 30,
                    "category_id": tool_category.id,
                },
            ),  # fmt: skip
            "service.retention.request": pair(
                "service.retention.request",
                {"policy_id": policy.id, "requested_by_id": self.all_roles_both.id},
            ),
        }
        for model, (first, second) in pairs.items():
            both = first | second
            with self.subTest(model=model):
                self.assertEqual(self._visible(self.all_roles_both, both, c1), first)
                self.assertEqual(self._visible(self.all_roles_both, both, c1 | c2), both)
                self.assertEqual(self._visible(self.all_roles_first, both), first)
                with self.assertRaises(AccessError):
                    second.with_user(self.all_roles_first).read(["display_name"])


@tagged("post_install", "-at_install")
class TestRoleAccess(TransactionCase):
    """Access a role needs for its job, each with its denials: dispatchers
    plan the corrective actions of complaints, archivists correct archived
    records (never active ones), HR officers allocate tools without keeping
    the register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        create_role_users(
            cls,
            {
                "dispatcher": ("role_dispatch", "dispatcher", None),
                "archivist": ("role_archivist", "archivist", None),
                "technician": ("role_tech", "technician", None),
                "inspector": ("role_inspector", "inspector", None),
                "keeper": ("role_keeper", "equipment_care.group_equipment_keeper", None),
                "officer": ("role_officer", "service_training.group_training_officer", None),
            },
        )
        cls.customer = cls.env["res.partner"].create({"name": "Lu Yan"})
        cls.complaint = cls.env["service.complaint"].create({"partner_id": cls.customer.id})

    def _archive(self, records):
        # sudo + write: how the retention job archives (service.retention.policy)
        records.sudo().write({"active": False})
        return records

    # ------------------------------------------------------------------
    # dispatchers and corrective actions
    # ------------------------------------------------------------------
    def test_dispatcher_adds_a_corrective_action_to_a_complaint(self):
        Action = self.env["service.corrective.action"].with_user(self.dispatcher)
        action = Action.create(
            {
                "name": "Call the customer back",
                "complaint_id": self.complaint.id,
                "owner_id": self.technician.id,
                "deadline": "2026-04-01",
            }
        )
        self.assertEqual(self.complaint.corrective_action_ids, action)
        # and plans it: what, who, by when
        action.write({"deadline": "2026-04-08", "owner_id": self.inspector.id})
        self.assertEqual(str(action.deadline), "2026-04-08")
        # the effectiveness check stays with quality, deleting with inspectors
        with self.assertRaises(AccessError):
            action.write({"effectiveness": "effective"})
        with self.assertRaises(AccessError):
            action.unlink()
        self.assertEqual(action.effectiveness, False)

    def test_dispatcher_does_not_add_actions_to_inspections(self):
        inspection = self.env["service.inspection"].create(
            {"subject_type": "order", "service_order_id": self._order().id}
        )
        Action = self.env["service.corrective.action"].with_user(self.dispatcher)
        with self.assertRaisesRegex(AccessError, "only a quality inspector"):
            Action.create(
                {
                    "name": "Re-check the site",
                    "inspection_id": inspection.id,
                    "owner_id": self.technician.id,
                    "deadline": "2026-04-01",
                }
            )
        action = self.env["service.corrective.action"].create(
            {
                "name": "Re-check the site",
                "inspection_id": inspection.id,
                "owner_id": self.technician.id,
                "deadline": "2026-04-01",
            }
        )
        with self.assertRaises(AccessError):
            action.with_user(self.dispatcher).write({"deadline": "2026-05-01"})
        self.assertEqual(str(action.deadline), "2026-04-01")

    def _order(self, **values):
        return self.env["service.order"].create(dict({"partner_id": self.customer.id}, **values))

    # ------------------------------------------------------------------
    # archivists and archived records
    # ------------------------------------------------------------------
    def test_archivist_corrects_an_archived_complaint(self):
        self._archive(self.complaint)
        self.complaint.with_user(self.archivist).write({"findings": "<p>Corrected</p>"})
        self.assertIn("Corrected", self.complaint.findings)
        # nobody else changes it: dispatchers are refused by the retention lock
        with self.assertRaisesRegex(UserError, "only an archivist"):
            self.complaint.with_user(self.dispatcher).write({"findings": "<p>Again</p>"})

    def test_archivist_does_not_change_active_complaints(self):
        active = self.env["service.complaint"].create(
            {"partner_id": self.customer.id, "service_order_id": self._order(
                user_id=self.archivist.id).id}
        )  # fmt: skip
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.archivist).write({"findings": "<p>Not archived</p>"})
        # not even about an order of their own (archivists are technicians too)
        with self.assertRaises(AccessError):
            active.with_user(self.archivist).write({"findings": "<p>Mine</p>"})
        self.assertFalse(self.complaint.findings)

    def test_archivist_corrects_archived_orders_only(self):
        archived = self._archive(self._order())
        archived.with_user(self.archivist).write({"diagnosis": "Corrected after archiving"})
        self.assertEqual(archived.diagnosis, "Corrected after archiving")
        active = self._order()
        self.assertTrue(active.with_user(self.archivist).has_access("read"))
        with self.assertRaises(AccessError):
            active.with_user(self.archivist).write({"diagnosis": "Not archived"})
        # others do not even read it without a borrowing
        archived.invalidate_recordset()
        with self.assertRaises(AccessError):
            archived.with_user(self.dispatcher).write({"diagnosis": "Dispatcher"})

    def test_archivist_corrects_archived_certifications_only(self):
        cert_type = self.env["training.certification.type"].create(
            {"name": "Working at height", "code": "ROLE-WAH"}
        )
        own_employee = self.env["hr.employee"].create(
            {"name": "Archivist Employee", "user_id": self.archivist.id}
        )
        other_employee = self.env["hr.employee"].create({"name": "Left Employee"})
        Cert = self.env["training.certification"]
        archived = self._archive(
            Cert.create({"employee_id": other_employee.id, "type_id": cert_type.id,
                         "number": "ROLE-1", "issue_date": "2026-01-05"})
        )  # fmt: skip
        own_active = Cert.create({"employee_id": own_employee.id, "type_id": cert_type.id,
                                  "number": "ROLE-2", "issue_date": "2026-01-05"})  # fmt: skip
        with self.assertRaises(AccessError):
            own_active.with_user(self.archivist).write({"number": "ROLE-2-FORGED"})
        # others do not even read it without a borrowing
        archived.invalidate_recordset()
        with self.assertRaises(AccessError):
            archived.with_user(self.officer).write({"active": True})
        self.assertEqual(own_active.number, "ROLE-2")
        # the archivist restores it (an issued certificate's identity, its
        # number included, is locked for everyone: service_training's
        # test_training_evidence.py)
        archived.with_user(self.archivist).write({"active": True})
        self.assertTrue(archived.active)

    def test_archivist_corrects_archived_tools_only(self):
        Tool = self.env["maintenance.equipment"]
        archived = self._archive(Tool.create({"name": "Old torque wrench"}))
        active = Tool.create({"name": "Torque wrench"})
        # Odoo lets followers write equipment they follow: not the active register
        active.message_subscribe(partner_ids=self.archivist.partner_id.ids)
        archived.with_user(self.archivist).write({"note": "<p>Scrap certificate filed</p>"})
        self.assertIn("Scrap certificate", archived.note)
        with self.assertRaisesRegex(AccessError, "archivists can only change archived tools"):
            active.with_user(self.archivist).write({"note": "<p>In use</p>"})
        with self.assertRaisesRegex(UserError, "only an archivist"):
            archived.with_user(self.keeper).write({"note": "<p>Keeper</p>"})

    # ------------------------------------------------------------------
    # HR officers (training officers) and the tool register
    # ------------------------------------------------------------------
    def test_hr_officer_allocates_tools_but_does_not_keep_the_register(self):
        tool = self.env["maintenance.equipment"].create({"name": "Cordless drill"})
        employee = self.env["hr.employee"].create(
            {"name": "Tech Employee", "user_id": self.technician.id}
        )
        as_officer = tool.with_user(self.officer)
        # Odoo's HR allocation: assign the tool to an employee, free it on departure
        as_officer.write({"equipment_assign_to": "employee", "employee_id": employee.id})
        self.assertEqual(tool.employee_id, employee)
        employee.with_user(self.officer).write({"equipment_ids": [Command.unlink(tool.id)]})
        self.assertFalse(tool.employee_id)
        # but registering, changing and deleting tools is the keepers' job
        with self.assertRaisesRegex(AccessError, "Only equipment keepers can change"):
            as_officer.write({"name": "Renamed drill"})
        with self.assertRaises(AccessError):
            as_officer.unlink()
        with self.assertRaises(AccessError):
            self.env["maintenance.equipment"].with_user(self.officer).create({"name": "New drill"})
        category = self.env["maintenance.equipment.category"].create({"name": "Drills (role)"})
        with self.assertRaises(AccessError):
            category.with_user(self.officer).write({"tool_code_prefix": "DR-"})
        with self.assertRaises(AccessError):
            self.env["maintenance.equipment.category"].with_user(self.officer).create(
                {"name": "HR category"}
            )
        self.assertEqual(tool.name, "Cordless drill")
        # keepers, and maintenance managers who are not HR officers, keep the register
        tool.with_user(self.keeper).write({"name": "Cordless drill 18 V"})
        maintenance_manager = new_test_user(
            self.env, "role_maint_manager", groups="maintenance.group_equipment_manager"
        )
        tool.with_user(maintenance_manager).write({"name": "Cordless drill 18 V (2)"})
        category.with_user(maintenance_manager).write({"tool_code_prefix": "DR-"})
        self.assertEqual(tool.name, "Cordless drill 18 V (2)")
