"""Roles in Settings > Users: each line of roles is a chain of groups, so the
web client offers it as one drop-down in normal mode (not as loose check
boxes that only debug mode shows)."""

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

ROLE_CHAINS = {
    "service_quality.module_category_service_quality_service": [
        "service_quality.group_service_user",
        "service_quality.group_service_dispatcher",
        "service_quality.group_service_manager",
    ],
    "service_quality.module_category_service_quality_quality": [
        "service_quality.group_quality_inspector",
    ],
    "service_quality.module_category_service_quality_records": [
        "service_quality.group_archivist",
    ],
}


@tagged("post_install", "-at_install")
class TestUserRoles(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "roles_someone", groups="base.group_user")
        cls.parent = cls.env.ref("service_quality.module_category_service_quality")

    def test_role_lines_are_selections(self):
        by_app = {
            app: (kind, groups)
            for app, kind, groups, _name in self.env["res.groups"].get_groups_by_application()
        }
        for xmlid, chain in ROLE_CHAINS.items():
            kind, groups = by_app[self.env.ref(xmlid)]
            self.assertEqual(kind, "selection", xmlid)
            self.assertEqual(groups, self.env["res.groups"].concat(*map(self.env.ref, chain)))
        # every role of the suite (the other addons add theirs) is in a sub-category
        # of Service Quality that the web client renders as a selection
        roles = self.env["res.groups"].search([("category_id.parent_id", "=", self.parent.id)])
        self.assertGreaterEqual(len(roles), 5)
        for group in roles:
            self.assertEqual(by_app[group.category_id][0], "selection", group.name)
        self.assertFalse(
            self.env["res.groups"].search([("category_id", "=", self.parent.id)]),
            "no role hangs loose in the parent category (it would be a debug-only check box)",
        )

    def test_roles_in_user_form_without_debug(self):
        """The generated user form shows each role's selection field outside
        the debug-only part."""
        view = self.env.ref("base.user_groups_view")
        arch = etree.fromstring(view.arch)
        roles = self.env["res.groups"].search([("category_id.parent_id", "=", self.parent.id)])
        for group in roles:
            nodes = arch.xpath(
                f"//field[starts-with(@name, 'sel_groups_')][contains(@name, '_{group.id}')]"
            )
            names = [
                n for n in nodes
                if f"_{group.id}_" in n.get("name") + "_" and not n.get("invisible")
            ]  # fmt: skip
            self.assertTrue(names, f"{group.name} has no drop-down in the user form")
            for node in names:
                for ancestor in node.iterancestors():
                    self.assertNotEqual(ancestor.get("groups"), "base.group_no_one", group.name)

    def test_user_form_tour(self):
        self.start_tour(
            f"/odoo/action-base.action_res_users/{self.user.id}",
            "service_quality_user_roles_tour",
            login="admin",
            timeout=180,
        )


@tagged("post_install", "-at_install")
class TestScoreStars(HttpCase):
    def test_new_feedback_shows_no_score_until_rated(self):
        dispatcher = new_test_user(
            self.env, "stars_dispatcher", groups="service_quality.group_service_dispatcher",
            password="stars_dispatcher",
        )  # fmt: skip
        form = self.env.ref("service_quality.service_feedback_view_form")
        self.assertEqual(
            [node.get("widget") for node in etree.fromstring(form.arch).iter("field")
             if (node.get("name") or "").startswith("score")],
            ["sq_score"] * 5,
        )  # fmt: skip
        self.start_tour(
            "/odoo/action-service_quality.service_feedback_action/new",
            "service_quality_score_stars_tour",
            login=dispatcher.login,
            timeout=120,
        )
