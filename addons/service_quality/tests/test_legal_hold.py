from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.service_workflow_mixin import RETENTION_DESTROY
from .retention_common import RetentionCommon


@tagged("post_install", "-at_install")
class TestLegalHold(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._complaint_policy()
        cls.complaints = cls._complaints(3)
        cls.disputed = cls.complaints[0]

    def _hold(self, records, user):
        action = records.with_user(user).action_open_legal_hold_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(action["context"]))
        wizard.reason = "claim"
        wizard.note = "Claim of Chen Wei, lawyer's letter of 3 March"
        wizard.save().action_confirm()

    def test_hold_is_set_by_archivist_or_manager_only(self):
        with self.assertRaises(AccessError):
            self.disputed.with_user(self.technician)._legal_hold_set("claim", "Claim")
        with self.assertRaises(AccessError):
            self.disputed.with_user(self.dispatcher)._legal_hold_set("claim", "Claim")
        # the hold fields are written by the actions only, whoever asks
        for user in (self.manager, self.archivist):
            with self.assertRaisesRegex(UserError, "with its buttons only"):
                self.disputed.with_user(user).write({"legal_hold": True})
        with self.assertRaisesRegex(UserError, "give the reason"):
            self.disputed.with_user(self.archivist)._legal_hold_set("claim", "  ")
        self.assertFalse(self.disputed.legal_hold)
        self._hold(self.disputed, self.manager)
        self.assertTrue(self.disputed.legal_hold)
        self.assertEqual(self.disputed.legal_hold_by_id, self.manager)
        self.assertEqual(self.disputed.legal_hold_reason, "claim")

    def test_held_record_is_not_proposed_nor_destroyed_until_released(self):
        self._hold(self.disputed, self.archivist)
        with freeze_time("2026-06-01"):
            self._run_policy(self.policy, self.archivist)
        proposed = self.policy.request_ids.line_ids
        self.assertEqual(set(proposed.mapped("res_id")), set((self.complaints - self.disputed).ids))

        # released by a second person only, then proposed with the next run
        with self.assertRaisesRegex(UserError, "someone else must release it"):
            self.disputed.with_user(self.archivist).action_legal_hold_release()
        self.disputed.with_user(self.archivist_2).action_legal_hold_release()
        self.assertFalse(self.disputed.legal_hold)
        self.assertFalse(self.disputed.legal_hold_by_id)
        with freeze_time("2026-06-02"):
            self._run_policy(self.policy, self.archivist)
        self.assertIn(self.disputed.id, self.policy.request_ids.line_ids.mapped("res_id"))

    def test_hold_after_proposal_stops_the_destruction_visibly(self):
        with freeze_time("2026-06-01"):
            self._run_policy(self.policy, self.archivist)
        request = self.policy.request_ids
        self.assertEqual(len(request.line_ids), 3)
        self._hold(self.disputed, self.manager)
        request.with_user(self.archivist_2).action_approve()
        request.with_user(self.archivist_2).action_destroy()
        self._destroy_approved()
        line = request.line_ids.filtered(lambda line: line.res_id == self.disputed.id)
        self.assertEqual(line.state, "held")
        self.assertIn("legal hold", line.message)
        self.assertTrue(self.disputed.exists())
        self.assertFalse(
            self.Register.search(
                [("model", "=", "service.complaint"), ("res_id", "=", self.disputed.id)]
            )
        )
        self.assertFalse((self.complaints - self.disputed).exists())
        self.assertEqual(request.state, "done")
        # deleting it by any other path is refused too, the destruction's own pass included
        with self.assertRaisesRegex(UserError, "under legal hold"):
            self.disputed.with_context(retention_destroy=RETENTION_DESTROY).unlink()
