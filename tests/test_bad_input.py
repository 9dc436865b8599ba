"""Bad input sweep: invalid operations across the three addons, each expected
to fail with a clear ``UserError``/``ValidationError`` and to leave the
database unchanged.

Every case becomes its own test method (``test_bad_input_NN_<name>``) so a
failure names the case. A case is a function registered with ``@case``; it
receives the test (with role users and helpers, see ``setUpClass``) and
returns a :class:`Bad` with:

- ``op``: a callable performing the invalid operation;
- ``records``: the existing records it touches, compared field by field
  before and after (the operation runs inside a savepoint);
- ``models``: models whose row count must not change (default: the models
  of ``records``);
- ``mentions``: strings the error message must contain (e.g. the order's
  reference), so users know which record and what is wrong.

SQL constraints raise ``psycopg2.IntegrityError`` in the ORM; the RPC layer
shows it to users as a ``ValidationError`` with the constraint's message. The
harness converts them the same way (``odoo.service.model._as_validation_error``)
and checks that message.

To add a case (the lead, as features land)::

    @case("complaint closed without a root cause")
    def _(t):
        complaint = t.complaint(state="resolved")
        return Bad(complaint.action_close, complaint, mentions=[complaint.name])
"""

import re
from dataclasses import dataclass, field

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

CASES = []
IGNORED_FIELDS = {"write_date", "write_uid", "__last_update"}


@dataclass
class Bad:
    op: object
    records: object = None
    models: tuple = ()
    mentions: list = field(default_factory=list)
    exceptions: tuple = (UserError, ValidationError)


def case(name):
    def register(func):
        CASES.append((name, func))
        return func

    return register


# ----------------------------------------------------------------------
# service_quality: feedback
# ----------------------------------------------------------------------
@case("feedback overall score 0")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create({"service_order_id": order.id, "score": 0}),
        order,
        models=("service.feedback",),
        mentions=[order.name, "between 1 and 5"],
    )


@case("feedback overall score 6")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create({"service_order_id": order.id, "score": 6}),
        order,
        models=("service.feedback",),
        mentions=[order.name],
    )


@case("feedback negative overall score")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create({"service_order_id": order.id, "score": -3}),
        order,
        models=("service.feedback",),
        mentions=[order.name],
    )


@case("feedback timeliness score 7")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create(
            {"service_order_id": order.id, "score": 4, "score_timeliness": 7}
        ),
        order,
        models=("service.feedback",),
        mentions=[order.name, "Timeliness"],
    )


@case("feedback quality score 9")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create(
            {"service_order_id": order.id, "score": 4, "score_quality": 9}
        ),
        order,
        models=("service.feedback",),
        mentions=[order.name, "Quality"],
    )


@case("feedback attitude score negative")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create(
            {"service_order_id": order.id, "score": 4, "score_attitude": -1}
        ),
        order,
        models=("service.feedback",),
        mentions=[order.name, "Attitude"],
    )


@case("feedback price transparency score 6")
def _(t):
    order = t.order("done")
    return Bad(
        lambda: t.env["service.feedback"].create(
            {"service_order_id": order.id, "score": 4, "score_transparency": 6}
        ),
        order,
        models=("service.feedback",),
        mentions=[order.name, "Price Transparency"],
    )


@case("feedback score changed to 0 afterwards")
def _(t):
    order = t.order("done")
    feedback = t.env["service.feedback"].create({"service_order_id": order.id, "score": 4})
    return Bad(lambda: feedback.write({"score": 0}), feedback, mentions=[order.name])


@case("second feedback for the same order and round")
def _(t):
    order = t.order("done")
    feedback = t.env["service.feedback"].create({"service_order_id": order.id, "score": 4})
    return Bad(
        lambda: t.env["service.feedback"].create({"service_order_id": order.id, "score": 5}),
        feedback,
        mentions=["only once per round"],
    )


# ----------------------------------------------------------------------
# service_quality: appointments
# ----------------------------------------------------------------------
@case("appointment ending before it starts (write)")
def _(t):
    order = t.order("assessed")
    return Bad(
        lambda: order.write(
            {"appointment_start": "2026-03-02 10:00:00", "appointment_end": "2026-03-02 09:00:00"}
        ),
        order,
        mentions=[order.name, "end after it starts"],
    )


@case("appointment ending when it starts (create)")
def _(t):
    return Bad(
        lambda: t.env["service.order"].create(
            {
                "partner_id": t.customer.id,
                "appointment_start": "2026-03-02 10:00:00",
                "appointment_end": "2026-03-02 10:00:00",
            }
        ),
        models=("service.order",),
        mentions=["end after it starts"],
    )


@case("appointment end moved before the start")
def _(t):
    order = t.order("scheduled")
    return Bad(
        lambda: order.write({"appointment_end": "2026-03-02 07:00:00"}),
        order,
        mentions=[order.name],
    )


# ----------------------------------------------------------------------
# service_quality: state machine
# ----------------------------------------------------------------------
def _move(t, state, action, mentions=()):
    order = t.order(state)
    return Bad(getattr(order, action), order, mentions=[order.name, *mentions])


@case("cancelled order assessed")
def _(t):
    return _move(t, "cancelled", "action_assess", ["cancelled"])


@case("cancelled order cancelled again")
def _(t):
    return _move(t, "cancelled", "action_cancel", ["cancelled"])


@case("cancelled order started")
def _(t):
    return _move(t, "cancelled", "action_start", ["cancelled"])


@case("cancelled order closed")
def _(t):
    return _move(t, "cancelled", "action_close", ["cancelled"])


@case("done order cancelled")
def _(t):
    return _move(t, "done", "action_cancel", ["no longer be cancelled"])


@case("closed order cancelled")
def _(t):
    return _move(t, "closed", "action_cancel", ["no longer be cancelled"])


@case("skip: new order scheduled")
def _(t):
    return _move(t, "new", "action_schedule", ["Assessed"])


@case("skip: new order approved")
def _(t):
    return _move(t, "new", "action_approve", ["Assessed"])


@case("skip: new order started")
def _(t):
    return _move(t, "new", "action_start", ["Scheduled"])


@case("skip: new order accepted as done")
def _(t):
    return _move(t, "new", "action_accept", ["To Accept"])


@case("skip: new order closed")
def _(t):
    return _move(t, "new", "action_close", ["Done"])


@case("skip: assessed order started")
def _(t):
    return _move(t, "assessed", "action_start", ["Scheduled"])


@case("skip: approval required, assessed order scheduled")
def _(t):
    order = t.order("assessed", category_id=t.category_approval.id)
    return Bad(order.action_schedule, order, mentions=[order.name, "Approved"])


@case("skip: scheduled order finished")
def _(t):
    return _move(t, "scheduled", "action_finish", ["In Progress"])


@case("skip: in progress order accepted as done")
def _(t):
    return _move(t, "in_progress", "action_accept", ["To Accept"])


@case("skip: order to accept closed")
def _(t):
    return _move(t, "to_accept", "action_close", ["Done"])


@case("backward: scheduled order assessed again")
def _(t):
    return _move(t, "scheduled", "action_assess", ["New"])


@case("backward: in progress order approved again")
def _(t):
    return _move(t, "in_progress", "action_approve", ["Assessed"])


@case("backward: done order finished again")
def _(t):
    return _move(t, "done", "action_finish", ["In Progress"])


@case("backward: closed order accepted again")
def _(t):
    return _move(t, "closed", "action_accept", ["To Accept"])


@case("same state: closed order closed again")
def _(t):
    return _move(t, "closed", "action_close", ["Done"])


@case("batch: one cancelled order blocks the whole batch")
def _(t):
    good = t.order("new")
    bad = t.order("cancelled")
    both = good | bad
    return Bad(both.action_assess, both, mentions=[bad.name])


# ----------------------------------------------------------------------
# service_quality: configuration
# ----------------------------------------------------------------------
@case("category with a negative return-visit delay")
def _(t):
    return Bad(
        lambda: t.env["service.category"].create({"name": "Bad", "return_visit_days": -1}),
        models=("service.category",),
        mentions=["cannot be negative"],
    )


@case("category return-visit delay changed to negative")
def _(t):
    return Bad(
        lambda: t.category.write({"return_visit_days": -5}),
        t.category,
        mentions=["cannot be negative"],
    )


# ----------------------------------------------------------------------
# service_training
# ----------------------------------------------------------------------
@case("certification type with a negative validity")
def _(t):
    return Bad(
        lambda: t.env["training.certification.type"].create(
            {"name": "Bad", "code": "BAD-NEG", "validity_months": -12}
        ),
        models=("training.certification.type",),
        mentions=["cannot be negative"],
    )


@case("certification type validity changed to negative")
def _(t):
    return Bad(
        lambda: t.cert_type.write({"validity_months": -1}),
        t.cert_type,
        mentions=["cannot be negative"],
    )


@case("duplicate certification type code")
def _(t):
    return Bad(
        lambda: t.env["training.certification.type"].create(
            {"name": "Copy", "code": t.cert_type.code, "company_id": t.cert_type.company_id.id}
        ),
        t.cert_type,
        models=("training.certification.type",),
        mentions=["must be unique"],
    )


# ----------------------------------------------------------------------
# equipment_care
# ----------------------------------------------------------------------
@case("duplicate tool code")
def _(t):
    return Bad(
        lambda: t.env["maintenance.equipment"].create(
            {"name": "Second multimeter", "tool_code": t.tool.tool_code}
        ),
        t.tool,
        models=("maintenance.equipment",),
        mentions=["must be unique"],
    )


@case("tool code changed to another tool's")
def _(t):
    other = t.env["maintenance.equipment"].create({"name": "Torque wrench", "tool_code": "TW-001"})
    return Bad(
        lambda: other.write({"tool_code": t.tool.tool_code}),
        t.tool | other,
        mentions=["must be unique"],
    )


@tagged("post_install", "-at_install")
class TestBadInput(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env, "bad_manager", groups="service_quality.group_service_manager"
        )
        cls.technician = new_test_user(
            cls.env, "bad_tech", groups="service_quality.group_service_user"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Li Na", "email": "li.na@example.com"}
        )
        cls.category = cls.env["service.category"].create({"name": "Dishwasher repair"})
        cls.category_approval = cls.env["service.category"].create(
            {"name": "Built-in oven replacement", "approval_required": True}
        )
        cls.cert_type = cls.env["training.certification.type"].create(
            {"name": "Electrical safety", "code": "ELEC-SAFE", "company_id": cls.env.company.id}
        )
        cls.tool = cls.env["maintenance.equipment"].create(
            {"name": "Insulation tester", "tool_code": "IT-001"}
        )

    def order(self, state, **vals):
        """A service order put in ``state`` directly (bypassing the state
        machine and whatever a later feature requires for each move: these
        tests are about the refusal, not the path)."""
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category.id,
            "user_id": self.technician.id,
            "appointment_start": "2026-03-02 08:00:00",
            "appointment_end": "2026-03-02 09:00:00",
        }
        values.update(vals)
        order = self.env["service.order"].create(values)
        if state != "new":
            self.env.flush_all()
            self.env.cr.execute(
                SQL("UPDATE service_order SET state = %s WHERE id = %s", state, order.id)
            )
            order.invalidate_recordset(["state"])
        return order

    def _snapshot(self, bad):
        self.env.flush_all()
        self.env.invalidate_all()
        records = bad.records if bad.records is not None else None
        rows = {}
        if records:
            names = [
                name
                for name, f in records._fields.items()
                if f.store and f.column_type and name not in IGNORED_FIELDS
            ]
            rows = {(r._name, r.id): r.read(names)[0] for r in records}
        models = set(bad.models) | ({records._name} if records else set())
        counts = {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in models
        }
        return rows, counts

    def _run_case(self, name, func):
        bad = func(self)
        before = self._snapshot(bad)
        error = None
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                bad.op()
                self.env.flush_all()
        except bad.exceptions as exc:
            error = exc
        except psycopg2.IntegrityError as exc:
            error = _as_validation_error(self.env, exc)
        if error is None:
            self.fail(f"[{name}] no error raised: the invalid operation was accepted")
        message = str(error.args[0] if error.args else error)
        self.assertIsInstance(
            error, (UserError, ValidationError), f"[{name}] unexpected error {error!r}"
        )
        for text in bad.mentions:
            self.assertIn(text, message, f"[{name}] the error should mention {text!r}")
        after = self._snapshot(bad)
        self.assertEqual(before[1], after[1], f"[{name}] records were created or deleted")
        self.assertEqual(before[0], after[0], f"[{name}] records were changed")

    def test_sweep_has_enough_cases(self):
        # Issue 8 asks for at least 40 invalid operations across the addons.
        self.assertGreaterEqual(len(CASES), 40)
        names = [name for name, _func in CASES]
        self.assertEqual(len(names), len(set(names)), "case names must be unique")


def _make_test(name, func):
    def test(self):
        self._run_case(name, func)

    test.__doc__ = f"Bad input: {name}"
    return test


for _index, (_name, _func) in enumerate(CASES, start=1):
    _slug = re.sub(r"\W+", "_", _name.lower()).strip("_")
    setattr(TestBadInput, f"test_bad_input_{_index:02d}_{_slug}", _make_test(_name, _func))
