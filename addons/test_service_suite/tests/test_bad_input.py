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

Operations the addons still accept but should refuse are registered with
``@known_gap`` instead: they run as strict expected failures (pytest
``xfail(strict=True)``), so fixing the addon turns them into an XPASS failure,
the signal to move them to ``@case``. A failing setup is a real failure.

To add a case (the lead, as features land)::

    @case("complaint closed without a root cause")
    def _(t):
        complaint = t.complaint(state="resolved")
        return Bad(complaint.action_close, complaint, mentions=[complaint.name])
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg2
import pytest

from odoo import Command, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

CASES = []
IGNORED_FIELDS = {"write_date", "write_uid", "__last_update"}
# A 1x1 PNG: the customer's signature on orders accepted in the cases below.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


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


# Invalid operations the addons still ACCEPT (found by this sweep, reported to
# the lead). Each runs like a case but as an expected failure: it turns into
# a real failure ("unexpected success") once the addon refuses the operation,
# which is the signal to move it to CASES with ``@case``.
KNOWN_GAPS = []


def known_gap(name):
    def register(func):
        KNOWN_GAPS.append((name, func))
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
    good = t.order("new", diagnosis="<p>Door switch worn</p>", plan="<p>Replace it</p>")
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


# ----------------------------------------------------------------------
# service_quality: orders (feature rules)
# ----------------------------------------------------------------------
@case("order plan approved by its own author")
def _(t):
    order = t.order("assessed", category_id=t.category_approval.id, plan_author_id=t.manager.id)
    return Bad(
        order.with_user(t.manager).action_approve,
        order,
        mentions=[order.name, "you wrote this plan"],
    )


@case("order plan approved by a technician")
def _(t):
    order = t.order("assessed", category_id=t.category_approval.id, plan_author_id=t.manager.id)
    return Bad(
        order.with_user(t.technician).action_approve,
        order,
        mentions=[order.name, "can approve the plan"],
    )


@case("overlapping appointment for the same technician")
def _(t):
    booked = t.order("scheduled")
    return Bad(
        lambda: t.env["service.order"].create(
            {
                "partner_id": t.customer.id,
                "user_id": t.technician.id,
                "appointment_start": booked.appointment_start + timedelta(minutes=30),
                "appointment_end": booked.appointment_end + timedelta(minutes=30),
            }
        ),
        booked,
        models=("service.order",),
        mentions=[booked.name, "already booked"],
    )


@case("order assessed without diagnosis or plan")
def _(t):
    order = t.order("new")
    return Bad(order.action_assess, order, mentions=[order.name, "a diagnosis", "a plan"])


@case("order cancelled without a reason")
def _(t):
    order = t.order("assessed")
    return Bad(order.action_cancel, order, mentions=[order.name, "a cancellation reason"])


@case("first responder moved by a technician")
def _(t):
    order = t.order("new", intake_user_id=t.technician.id)
    return Bad(
        lambda: order.with_user(t.technician).write({"intake_user_id": t.dispatcher.id}),
        order,
        mentions=[order.name, "only a service manager"],
    )


@case("order rated before the customer accepted the work")
def _(t):
    order = t.order("in_progress")
    return Bad(
        lambda: t.env["service.feedback"].create({"service_order_id": order.id, "score": 5}),
        order,
        models=("service.feedback",),
        mentions=[order.name, "cannot be rated before"],
    )


# ----------------------------------------------------------------------
# service_quality: complaints and corrective actions
# ----------------------------------------------------------------------
@case("complaint closed with nothing filled in")
def _(t):
    complaint = t.complaint("resolved")
    return Bad(
        complaint.action_close,
        complaint,
        mentions=[
            complaint.name,
            "root cause",
            "responsible department",
            "responsible person",
            "corrective actions",
            "the customer's answer",
        ],
    )


@case("complaint closed with a corrective action still open")
def _(t):
    complaint = t.complaint("resolved", **t.closing_values())
    action = t.corrective_action(complaint)
    return Bad(
        complaint.action_close,
        complaint,
        models=("service.corrective.action",),
        mentions=[complaint.name, "still open", action.name],
    )


@case("complaint closed while the customer is not satisfied")
def _(t):
    complaint = t.complaint("resolved", **dict(t.closing_values(), customer_answer="not_satisfied"))
    t.corrective_action(complaint, state="done")
    return Bad(complaint.action_close, complaint, mentions=[complaint.name, "reopen"])


@case("new complaint closed directly")
def _(t):
    complaint = t.complaint("new")
    return Bad(complaint.action_close, complaint, mentions=[complaint.name, "Resolved"])


@case("complaint acknowledged twice")
def _(t):
    complaint = t.complaint("acknowledged")
    return Bad(complaint.action_acknowledge, complaint, mentions=[complaint.name, "New"])


@case("complaint handling plan approved without a plan")
def _(t):
    complaint = t.complaint("investigating")
    return Bad(
        complaint.action_approve_plan, complaint, mentions=[complaint.name, "no handling plan"]
    )


@case("complaint resolved without the result given to the customer")
def _(t):
    complaint = t.complaint("action", handling_plan="<p>Replace the pump</p>")
    return Bad(complaint.action_resolve, complaint, mentions=[complaint.name, "write the result"])


@case("complaint linked to another customer's order")
def _(t):
    order = t.order("done", partner_id=t.other_customer.id)
    return Bad(
        lambda: t.env["service.complaint"].create(
            {"partner_id": t.customer.id, "service_order_id": order.id}
        ),
        order,
        models=("service.complaint",),
        mentions=[order.name, t.other_customer.name],
    )


@case("complaint moved to another customer's order")
def _(t):
    complaint = t.complaint("new", service_order_id=t.order("done").id)
    other = t.order("done", partner_id=t.other_customer.id)
    return Bad(
        lambda: complaint.write({"service_order_id": other.id}),
        complaint,
        mentions=[complaint.name, other.name],
    )


@case("corrective action effectiveness verified by its owner")
def _(t):
    action = t.corrective_action(t.complaint("action"), state="done", effectiveness="effective")
    return Bad(
        action.with_user(t.technician).action_verify,
        action,
        mentions=[action.name, "someone else"],
    )


@case("corrective action verifier set to its owner")
def _(t):
    action = t.corrective_action(t.complaint("action"), state="done", effectiveness="effective")
    return Bad(
        lambda: action.write({"verified_by_id": t.technician.id}),
        action,
        mentions=[action.name, "other than its owner"],
    )


@case("corrective action verified while still open")
def _(t):
    action = t.corrective_action(t.complaint("action"), effectiveness="effective")
    return Bad(
        action.with_user(t.inspector).action_verify, action, mentions=[action.name, "must be done"]
    )


@case("corrective action verified without an effectiveness result")
def _(t):
    action = t.corrective_action(t.complaint("action"), state="done")
    return Bad(
        action.with_user(t.inspector).action_verify,
        action,
        mentions=[action.name, "whether it was effective"],
    )


@case("corrective action marked done twice")
def _(t):
    action = t.corrective_action(t.complaint("action"), state="done")
    return Bad(action.action_done, action, mentions=[action.name, "it must be Open first"])


@case("corrective action without a complaint or an inspection")
def _(t):
    return Bad(
        lambda: t.env["service.corrective.action"].create(
            {
                "name": "Orphan action",
                "owner_id": t.technician.id,
                "deadline": "2026-03-20",
                # neither complaint_id nor inspection_id given
            }
        ),
        models=("service.corrective.action",),
        mentions=["Orphan action", "must belong to a complaint, an inspection"],
    )


# ----------------------------------------------------------------------
# service_quality: inspections
# ----------------------------------------------------------------------
@case("inspection closed with unanswered checklist lines")
def _(t):
    inspection = t.inspection("in_progress", answered=1)
    unanswered = inspection.line_ids.filtered(lambda line: not line.result)
    return Bad(
        inspection.action_done,
        inspection,
        models=("service.inspection.line", "service.corrective.action"),
        mentions=[inspection.name, "unanswered", unanswered[0].name],
    )


@case("inspection started without a checklist")
def _(t):
    inspection = t.inspection("draft", lines=())
    return Bad(inspection.action_start, inspection, mentions=[inspection.name, "no checklist item"])


@case("planned inspection closed without being started")
def _(t):
    inspection = t.inspection("draft", answered=2)
    return Bad(
        inspection.action_done,
        inspection,
        mentions=[inspection.name, "it must be In Progress first"],
    )


@case("done inspection cancelled")
def _(t):
    inspection = t.inspection("done", answered=2)
    return Bad(inspection.action_cancel, inspection, mentions=[inspection.name, "from Done"])


@case("inspection of an employee without the employee")
def _(t):
    return Bad(
        lambda: t.env["service.inspection"].create({"subject_type": "employee"}),
        models=("service.inspection",),
        mentions=["Employee"],
    )


# ----------------------------------------------------------------------
# service_quality: records retention
# ----------------------------------------------------------------------
@case("retention policy keeping records zero years")
def _(t):
    return Bad(
        lambda: t.retention_policy(name="Zero years", years=0),
        models=("service.retention.policy",),
        mentions=["Zero years", "at least one year"],
    )


@case("retention policy counting from a missing date field")
def _(t):
    return Bad(
        lambda: t.retention_policy(name="No such date", date_field="contract_end_on"),
        models=("service.retention.policy",),
        mentions=["No such date", "contract_end_on"],
    )


@case("retention policy counting from a field that is not a date")
def _(t):
    return Bad(
        lambda: t.retention_policy(name="Counted from a name", date_field="description"),
        models=("service.retention.policy",),
        mentions=["Counted from a name", "not a searchable date field"],
    )


@case("retention policy years changed to zero")
def _(t):
    policy = t.retention_policy(name="Complaints (bad input)")
    return Bad(lambda: policy.write({"years": 0}), policy, mentions=[policy.name])


@case("retention policy with an invalid filter")
def _(t):
    return Bad(
        lambda: t.retention_policy(name="Broken filter", domain="[('no_such_field', '=', 1)]"),
        models=("service.retention.policy",),
        mentions=["Broken filter", "not valid"],
    )


@case("retention request approved by its requester")
def _(t):
    request = t.retention_request()
    return Bad(
        request.with_user(t.archivist).action_approve,
        request,
        mentions=[request.name, "another archivist must approve"],
    )


@case("unapproved retention request destroyed")
def _(t):
    request = t.retention_request()
    return Bad(
        request.with_user(t.archivist_2).action_destroy,
        request,
        mentions=[request.name, "not approved"],
    )


@case("retention request state forged by a write")
def _(t):
    request = t.retention_request()
    return Bad(
        lambda: request.with_user(t.archivist_2).write({"state": "approved"}),
        request,
        mentions=[request.name, "change only through"],
    )


@case("destruction register row edited")
def _(t):
    row = t.register_row()
    return Bad(lambda: row.write({"display_name": "Forged"}), row, mentions=[row.display_name])


@case("destruction register row deleted")
def _(t):
    row = t.register_row()
    return Bad(row.unlink, row, mentions=[row.display_name, "cannot be deleted"])


@case("destruction register row written by hand")
def _(t):
    return Bad(
        lambda: t.env["service.retention.register"].create(t.register_values()),
        models=("service.retention.register",),
        mentions=["approved request"],
    )


@case("access log row edited")
def _(t):
    log = t.env["service.access.log"].create(
        {
            "user_id": t.dispatcher.id,
            "res_model": "service.order",
            "res_id": 1,
            "access_type": "open",
        }
    )
    return Bad(lambda: log.write({"user_id": t.manager.id}), log, mentions=["cannot be changed"])


@case("access log row deleted")
def _(t):
    log = t.env["service.access.log"].create(
        {
            "user_id": t.dispatcher.id,
            "res_model": "service.order",
            "res_id": 1,
            "access_type": "print",
        }
    )
    return Bad(log.unlink, log, mentions=["cannot be deleted"])


# ----------------------------------------------------------------------
# service_training (feature rules)
# ----------------------------------------------------------------------
@case("training theory score above 100")
def _(t):
    return Bad(
        lambda: t.env["training.attendance"].create(
            {"session_id": t.session.id, "employee_id": t.tech_employee.id, "theory_score": 101}
        ),
        t.session,
        models=("training.attendance",),
        mentions=["between 0 and 100", "101"],
    )


@case("training practical score negative")
def _(t):
    return Bad(
        lambda: t.env["training.attendance"].create(
            {"session_id": t.session.id, "employee_id": t.tech_employee.id, "practical_score": -5}
        ),
        t.session,
        models=("training.attendance",),
        mentions=["between 0 and 100"],
    )


@case("training score changed to 150")
def _(t):
    attendance = t.attendance()
    return Bad(
        lambda: attendance.write({"theory_score": 150}),
        attendance,
        mentions=["between 0 and 100", "150"],
    )


@case("employee attending the same session twice")
def _(t):
    attendance = t.attendance()
    return Bad(
        lambda: t.env["training.attendance"].create(
            {"session_id": t.session.id, "employee_id": t.tech_employee.id}
        ),
        attendance,
        mentions=["only once"],
    )


@case("training session ending before it starts")
def _(t):
    return Bad(
        lambda: t.env["training.session"].create(
            {
                "course_id": t.course.id,
                "date_start": "2026-03-04 09:00:00",
                "date_end": "2026-03-02 09:00:00",
            }
        ),
        models=("training.session",),
        mentions=["must end after it starts"],
    )


@case("training session finished with a result pending")
def _(t):
    attendance = t.attendance()
    return Bad(
        t.session.action_done,
        t.session,
        models=("training.attendance", "training.certification", "training.evaluation"),
        mentions=[t.session.name, "pending", attendance.employee_id.name],
    )


@case("certificate expiring before it is issued")
def _(t):
    return Bad(
        lambda: t.env["training.certification"].create(
            {
                "employee_id": t.tech_employee.id,
                "type_id": t.cert_type.id,
                "number": "ES-BAD-1",
                "issue_date": "2026-03-01",
                "expiry_date": "2026-02-01",
            }
        ),
        models=("training.certification",),
        mentions=["ES-BAD-1", "cannot expire"],
    )


@case("certificate expiry moved before its issue")
def _(t):
    cert = t.certification()
    return Bad(
        lambda: cert.write({"expiry_date": "2025-01-01"}),
        cert,
        mentions=[cert.number, "cannot expire"],
    )


@case("certificate revoked without a reason")
def _(t):
    cert = t.certification()
    return Bad(lambda: cert.action_revoke("   "), cert, mentions=[cert.number, "reason"])


@case("certificate revoked twice")
def _(t):
    cert = t.certification()
    cert.action_revoke("Failed the safety audit")
    return Bad(lambda: cert.action_revoke("Again"), cert, mentions=[cert.number, "already revoked"])


@case("uncertified technician booked on a certified-only category")
def _(t):
    order = t.order("assessed", category_id=t.category_certified.id)
    return Bad(
        order.action_schedule,
        order,
        mentions=[order.name, t.technician.name, t.cert_type.name],
    )


@case("order of a certified-only category started without a technician")
def _(t):
    order = t.order("scheduled", category_id=t.category_certified.id, user_id=False)
    return Bad(order.action_start, order, mentions=[order.name, t.cert_type.name])


@case("scheduled order reassigned to an uncertified technician")
def _(t):
    t.certification()  # the booked technician holds the certificate
    order = t.order("scheduled", category_id=t.category_certified.id)
    return Bad(
        lambda: order.write({"user_id": t.officer.id}),
        order,
        mentions=[order.name, t.officer.name, t.cert_type.name],
    )


@case("scheduled order moved past the expiry of its technician's certificate")
def _(t):
    cert = t.certification()  # valid until 2027-01-10
    order = t.order("scheduled", category_id=t.category_certified.id)
    return Bad(
        lambda: order.write(
            {
                "appointment_start": "2027-02-01 08:00:00",
                "appointment_end": "2027-02-01 09:00:00",
            }
        ),
        order,
        models=("training.certification",),
        mentions=[order.name, t.technician.name, cert.type_id.name, "2027-02-01"],
    )


@case("training plan approved before it is submitted")
def _(t):
    plan = t.env["training.plan"].create({"name": "2026 training plan", "year": 2026})
    return Bad(
        plan.action_approve, plan, mentions=["2026 training plan", "it must be Submitted first"]
    )


@case("training plan submitted without a course")
def _(t):
    plan = t.env["training.plan"].create({"name": "Empty plan", "year": 2026})
    return Bad(plan.action_submit, plan, mentions=["Empty plan", "no planned course"])


@case("training plan for the year 1900")
def _(t):
    return Bad(
        lambda: t.env["training.plan"].create({"name": "Old plan", "year": 1900}),
        models=("training.plan",),
        mentions=["Old plan", "invalid year"],
    )


@case("training course pass mark above 100")
def _(t):
    return Bad(
        lambda: t.course.write({"theory_pass_mark": 120}),
        t.course,
        mentions=[t.course.name, "between 0 and 100"],
    )


@case("assessment score above 100")
def _(t):
    return Bad(
        lambda: t.env["training.assessment"].create(
            dict(t.assessment_values(), technical_score=120)
        ),
        models=("training.assessment",),
        mentions=["between 0 and 100"],
    )


@case("assessment ending before it starts")
def _(t):
    return Bad(
        lambda: t.env["training.assessment"].create(
            dict(t.assessment_values(), date_from="2026-03-31", date_to="2026-03-01")
        ),
        models=("training.assessment",),
        mentions=["ends before it starts"],
    )


@case("training officer signing their own assessment")
def _(t):
    assessment = t.env["training.assessment"].create(
        dict(t.assessment_values(employee=t.officer_employee), technical_score=80,
             attitude_score=80, safety_score=80)
    )  # fmt: skip
    return Bad(
        assessment.with_user(t.officer).action_sign,
        assessment,
        mentions=[assessment.name, "your own"],
    )


# ----------------------------------------------------------------------
# equipment_care (feature rules)
# ----------------------------------------------------------------------
def _check_out_again(t, tool):
    return Bad(
        lambda: t.checkout(tool),
        tool,
        models=("equipment.checkout",),
        mentions=[tool.tool_code, "cannot be checked out"],
    )


@case("checking out a tool already checked out")
def _(t):
    tool = t.new_tool()
    t.checkout(tool)
    return _check_out_again(t, tool)


@case("checking out a blocked tool")
def _(t):
    return _check_out_again(t, t.new_tool(status="blocked"))


@case("checking out a tool in repair")
def _(t):
    return _check_out_again(t, t.new_tool(status="in_repair"))


@case("checking out a retired tool")
def _(t):
    return _check_out_again(t, t.new_tool(status="retired"))


@case("checking out a tool whose calibration is overdue")
def _(t):
    tool = t.new_tool(last_calibration_date="2020-01-01", calibration_interval_days=365)
    bad = _check_out_again(t, tool)
    bad.mentions.append("calibration was due")
    return bad


@case("checking out the same tool twice in one batch")
def _(t):
    tool = t.new_tool()
    values = {
        "equipment_id": tool.id,
        "employee_id": t.tech_employee.id,
        "expected_return_at": fields.Datetime.now() + timedelta(days=1),
    }
    return Bad(
        lambda: t.env["equipment.checkout"].create([values, dict(values)]),
        tool,
        models=("equipment.checkout",),
        mentions=["only once at a time"],
    )


@case("check-out expected back before it leaves")
def _(t):
    tool = t.new_tool()
    return Bad(
        lambda: t.checkout(tool, expected_return_at=fields.Datetime.now() - timedelta(days=1)),
        tool,
        models=("equipment.checkout",),
        mentions=[tool.name, "expected return must be after"],
    )


@case("tool returned twice")
def _(t):
    checkout = t.checkout(t.new_tool())
    checkout.action_check_in()
    return Bad(
        checkout.action_check_in,
        checkout,
        mentions=[checkout.equipment_id.name, "already returned"],
    )


@case("open check-out deleted")
def _(t):
    checkout = t.checkout(t.new_tool())
    return Bad(checkout.unlink, checkout, mentions=[checkout.name, "still open"])


@case("order accepted as done while its tools are out")
def _(t):
    order = t.order("to_accept", customer_signature=SIGNATURE, signed_by="Li Na")
    checkout = t.checkout(t.new_tool(), service_order_id=order.id)
    return Bad(
        order.action_accept,
        order,
        models=("equipment.checkout",),
        mentions=[order.name, "still checked out", checkout.equipment_id.name],
    )


@case("consuming more spare parts than available")
def _(t):
    order = t.order("in_progress")
    part = t.part(order, quantity=5)
    return Bad(
        order.action_consume_parts,
        part,
        models=("stock.move", "stock.quant"),
        mentions=[t.product.name, order.name, "Not enough"],
    )


@case("spare part with a negative quantity")
def _(t):
    order = t.order("in_progress")
    return Bad(
        lambda: t.part(order, quantity=-2),
        order,
        models=("service.order.part",),
        mentions=[order.name, "quantity must be positive"],
    )


@case("spare part quantity changed to zero")
def _(t):
    part = t.part(t.order("in_progress"), quantity=1)
    return Bad(lambda: part.write({"quantity": 0}), part, mentions=["quantity must be positive"])


@case("retirement approved by its requester")
def _(t):
    retirement = t.retirement("submitted")
    return Bad(
        retirement.with_user(t.keeper).action_approve,
        retirement,
        mentions=[retirement.name, "someone else must approve"],
    )


@case("retirement submitted without an assessment")
def _(t):
    retirement = t.retirement("draft", assessment=False)
    return Bad(retirement.action_submit, retirement, mentions=[retirement.name, "assessment"])


@case("retirement carried out while the tool is checked out")
def _(t):
    retirement = t.retirement("approved")
    t.checkout(retirement.equipment_id)
    return Bad(
        retirement.action_done,
        retirement,
        mentions=[retirement.name, "checked out"],
    )


@case("tool retired by hand")
def _(t):
    tool = t.new_tool()
    return Bad(
        lambda: tool.write({"care_status": "retired"}),
        tool,
        mentions=["retirement request"],
    )


@case("tool with a negative calibration interval")
def _(t):
    tool = t.new_tool()
    return Bad(
        lambda: tool.write({"calibration_interval_days": -30}),
        tool,
        mentions=[tool.name, "cannot be negative"],
    )


@case("passing calibration without a certificate number")
def _(t):
    tool = t.new_tool()
    return Bad(
        lambda: t.env["equipment.calibration"].create(
            {
                "equipment_id": tool.id,
                "performed_by": "City metrology lab",
                "result": "pass",
                "date": "2026-03-01",
            }
        ),  # fmt: skip
        tool,
        models=("equipment.calibration",),
        mentions=[tool.name, "certificate number"],
    )


@case("calibration record changed afterwards")
def _(t):
    tool = t.new_tool()
    calibration = t.env["equipment.calibration"].create(
        {"equipment_id": tool.id, "performed_by": "City metrology lab", "result": "pass",
         "certificate_number": "CAL-2026-001", "date": "2026-03-01"}
    )  # fmt: skip
    return Bad(
        lambda: calibration.write({"result": "fail"}),
        calibration,
        mentions=["evidence"],
    )


@case("care plan for both a tool and a category")
def _(t):
    tool = t.new_tool()
    return Bad(
        lambda: t.env["equipment.care.plan"].create(
            {
                "name": "Both ways",
                "equipment_id": tool.id,
                "category_id": t.tool_category.id,
                "interval_days": 90,
            }
        ),  # fmt: skip
        models=("equipment.care.plan",),
        mentions=["Both ways", "not both"],
    )


@case("fault re-checked by its repairer")
def _(t):
    tool = t.new_tool()
    fault = t.env["maintenance.request"].create(
        {"name": "Display flickers", "equipment_id": tool.id, "maintenance_type": "corrective",
         "fault_cause": "Loose ribbon cable", "fault_action": "Cable reseated"}
    )  # fmt: skip
    fault.with_user(t.keeper).action_fault_diagnosed()
    fault.with_user(t.keeper).action_fault_repaired()
    return Bad(
        fault.with_user(t.keeper).action_fault_recheck_pass,
        fault,
        mentions=["Display flickers", "other than the repairer"],
    )


# ----------------------------------------------------------------------
# Workflow fields written directly, bypassing the checks of the actions
# (service.workflow.mixin refuses them), and ACL holes.
# ----------------------------------------------------------------------
@case("technician rewrites the score customers gave to their own order")
def _(t):
    order = t.order("done")
    feedback = t.env["service.feedback"].create({"service_order_id": order.id, "score": 2})
    return Bad(lambda: feedback.with_user(t.technician).write({"score": 5}), feedback)


@case("technician writes their own order straight from new to done")
def _(t):
    order = t.order("new")
    return Bad(lambda: order.with_user(t.technician).write({"state": "done"}), order)


@case("complaint written straight to closed without cause or actions")
def _(t):
    complaint = t.complaint("new")
    return Bad(
        lambda: complaint.with_user(t.dispatcher).write({"state": "closed"}),
        complaint,
        mentions=[complaint.name],
    )


@case("corrective action written to verified by its owner")
def _(t):
    action = t.corrective_action(t.complaint("action"))
    return Bad(
        lambda: action.with_user(t.technician).write(
            {"state": "verified", "effectiveness": "effective"}
        ),
        action,
        mentions=[action.name],
    )


@case("corrective action created with neither a complaint nor an inspection")
def _(t):
    return Bad(
        lambda: t.env["service.corrective.action"].create(
            {"name": "Orphan action (gap)", "owner_id": t.technician.id, "deadline": "2026-03-20"}
        ),
        models=("service.corrective.action",),
        mentions=["Orphan action (gap)"],
    )


@case("inspection written to done with unanswered lines")
def _(t):
    inspection = t.inspection("in_progress", answered=1)
    return Bad(
        lambda: inspection.with_user(t.inspector).write({"state": "done"}),
        inspection,
        mentions=[inspection.name],
    )


@case("check-out written to returned without checking the tool in")
def _(t):
    checkout = t.checkout(t.new_tool())
    return Bad(
        lambda: checkout.with_user(t.technician).write({"state": "returned"}),
        checkout,
        mentions=[checkout.name, "Check In"],
    )


@case("retirement written to approved by its requester")
def _(t):
    retirement = t.retirement("submitted")
    return Bad(
        lambda: retirement.with_user(t.keeper).write(
            {"state": "approved", "approved_by_id": t.keeper.id}
        ),
        retirement,
        mentions=[retirement.name],
    )


@case("training plan approved by the officer who submitted it")
def _(t):
    plan = t.env["training.plan"].with_user(t.officer).create({"name": "Own plan", "year": 2026})
    t.force_state(plan, "submitted")
    return Bad(plan.with_user(t.officer).action_approve, plan, mentions=["Own plan"])


@case("training session written to done with a result pending")
def _(t):
    t.attendance()
    return Bad(
        lambda: t.session.with_user(t.officer).write({"state": "done"}),
        t.session,
        mentions=[t.session.name],
    )


@case("certificate revoked by writing the date, without a reason")
def _(t):
    cert = t.certification()
    return Bad(
        lambda: cert.with_user(t.officer).write({"revoked_on": "2026-02-01"}),
        cert,
        mentions=[cert.number],
    )


@case("complaint closed over RPC with a forged workflow pass")
def _(t):
    complaint = t.complaint("resolved")
    return Bad(
        lambda: api.call_kw(
            complaint.with_user(t.dispatcher).browse(),
            "write",
            [complaint.ids, {"state": "closed"}],
            {"context": {"service_workflow_pass": ["service.complaint"]}},
        ),
        complaint,
        mentions=[complaint.name],
    )


@case("complaint created straight in the closed state")
def _(t):
    return Bad(
        lambda: t.env["service.complaint"]
        .with_user(t.dispatcher)
        .create({"partner_id": t.customer.id, "state": "closed"}),
        models=("service.complaint",),
        mentions=["Close"],
    )


@case("service order created straight in done through a default_state context")
def _(t):
    return Bad(
        lambda: t.env["service.order"]
        .with_user(t.dispatcher)
        .with_context(default_state="done")
        .create({"partner_id": t.customer.id, "category_id": t.category.id}),
        models=("service.order",),
        mentions=["use the workflow buttons"],
    )


@case("inspection stored as done with unanswered lines, even through sudo")
def _(t):
    inspection = t.inspection("in_progress", answered=2)
    return Bad(
        lambda: inspection.sudo().write({"state": "done"}),
        inspection,
        mentions=[inspection.name, "Site cleaned"],
    )


@case("check-out stored as returned without a check-in time, even through sudo")
def _(t):
    checkout = t.checkout(t.new_tool())
    return Bad(
        lambda: checkout.sudo().write({"state": "returned"}),
        checkout,
        mentions=[checkout.name],
    )


@case("retirement stored as approved by its requester, even through sudo")
def _(t):
    retirement = t.retirement("submitted")
    return Bad(
        lambda: retirement.sudo().write({"state": "approved", "approved_by_id": t.keeper.id}),
        retirement,
        mentions=[retirement.name, "someone else must approve"],
    )


@case("training session stored as done with a result pending, even through sudo")
def _(t):
    t.attendance()
    return Bad(
        lambda: t.session.sudo().write({"state": "done"}),
        t.session,
        mentions=[t.session.name, "Bad Tech"],
    )


@case("certificate stored as revoked without a reason, even through sudo")
def _(t):
    cert = t.certification()
    return Bad(
        lambda: cert.sudo().write({"revoked_on": "2026-02-01"}),
        cert,
        mentions=[cert.number],
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
        # Roles and master data of the feature cases.
        users = {
            "dispatcher": "service_quality.group_service_dispatcher",
            "inspector": "service_quality.group_quality_inspector",
            "archivist": "service_quality.group_archivist",
            "archivist_2": "service_quality.group_archivist",
            "keeper": "equipment_care.group_equipment_keeper",
            "officer": "service_training.group_training_officer",
        }
        for attr, groups in users.items():
            setattr(cls, attr, new_test_user(cls.env, f"bad_{attr}", groups=groups))
        cls.other_customer = cls.env["res.partner"].create({"name": "Zhang Wei"})
        Employee = cls.env["hr.employee"]
        cls.tech_employee = Employee.create({"name": "Bad Tech", "user_id": cls.technician.id})
        cls.officer_employee = Employee.create({"name": "Bad Officer", "user_id": cls.officer.id})
        cls.department = cls.env["hr.department"].create({"name": "Field Service (bad input)"})
        cls.cause = cls.env["service.complaint.cause"].create({"name": "Wrong part fitted"})
        cls.category_certified = cls.env["service.category"].create(
            {
                "name": "Mains wiring repair",
                "required_certification_type_ids": [Command.set(cls.cert_type.ids)],
            }
        )
        cls.course = cls.env["training.course"].create(
            {
                "name": "Electrical safety refresher",
                "category": "safety",
                "mode": "classroom",
                "hours": 8,
                "theory_pass_mark": 60,
                "practical_pass_mark": 60,
                "certification_type_id": cls.cert_type.id,
            }
        )
        cls.session = cls.env["training.session"].create(
            {
                "course_id": cls.course.id,
                "date_start": "2026-03-02 01:00:00",
                "date_end": "2026-03-04 09:00:00",
            }
        )
        cls.tool_category = cls.env["maintenance.equipment.category"].create(
            {"name": "Bad-input meters", "inspection_interval_days": 0}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Drain pump DP-40", "type": "consu", "is_storable": True}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 2.0)
        cls._appointment_day = 0

    # ------------------------------------------------------------------
    # Record makers (each case makes its own records)
    # ------------------------------------------------------------------
    def force_state(self, record, state):
        """Put ``record`` in ``state`` directly, bypassing its workflow."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET state = %s WHERE id = %s",
                SQL.identifier(record._table),
                state,
                record.id,
            )
        )
        record.invalidate_recordset(["state"])
        return record

    def order(self, state, **vals):
        """A service order put in ``state`` directly (bypassing the state
        machine and whatever a later feature requires for each move: these
        tests are about the refusal, not the path). Each order gets its own
        appointment day, so the technician is never double-booked."""
        type(self)._appointment_day += 1
        day = fields.Datetime.to_datetime("2026-03-02 08:00:00") + timedelta(
            days=self._appointment_day
        )
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category.id,
            "user_id": self.technician.id,
            "appointment_start": day,
            "appointment_end": day + timedelta(hours=1),
        }
        values.update(vals)
        order = self.env["service.order"].create(values)
        if state != "new":
            self.force_state(order, state)
        return order

    def complaint(self, state, **vals):
        complaint = self.env["service.complaint"].create(
            dict({"partner_id": self.customer.id, "description": "<p>Pump still leaks</p>"}, **vals)
        )
        return self.force_state(complaint, state) if state != "new" else complaint

    def closing_values(self):
        """Everything a complaint needs to close, except its corrective actions."""
        return {
            "cause_id": self.cause.id,
            "department_id": self.department.id,
            "responsible_id": self.tech_employee.id,
            "customer_answer": "satisfied",
            "handling_plan": "<p>Replace the pump</p>",
            "resolution": "<p>Pump replaced</p>",
        }

    def corrective_action(self, complaint, state="open", **vals):
        action = self.env["service.corrective.action"].create(
            dict(
                {
                    "name": f"Retrain on pump fitting ({complaint.name})",
                    "complaint_id": complaint.id,
                    "owner_id": self.technician.id,
                    "deadline": "2026-03-20",
                },
                **vals,
            )
        )
        return self.force_state(action, state) if state != "open" else action

    def inspection(
        self, state, lines=("Uniform worn", "Floor protected", "Site cleaned"), answered=0
    ):
        inspection = self.env["service.inspection"].create(
            {
                "subject_type": "employee",
                "employee_id": self.tech_employee.id,
                "inspector_id": self.inspector.id,
                "line_ids": [
                    Command.create({"name": name, "result": "pass" if index < answered else False})
                    for index, name in enumerate(lines)
                ],
            }
        )
        return self.force_state(inspection, state) if state != "draft" else inspection

    def retention_policy(self, **vals):
        return self.env["service.retention.policy"].create(
            dict(
                {
                    "name": "Complaints (bad input)",
                    "model_id": self.env["ir.model"]._get("service.complaint").id,
                    "date_field": "closed_at",
                    "years": 3,
                    "domain": "[('state', '=', 'closed')]",
                    "action": "destroy",
                    "active": False,  # never picked up by the job during the tests
                },
                **vals,
            )
        )

    def retention_request(self):
        return self.env["service.retention.request"].create(
            {"policy_id": self.retention_policy().id, "requested_by_id": self.archivist.id}
        )

    def register_values(self):
        request = self.retention_request()
        return {
            "model": "service.complaint",
            "res_id": 999999,
            "display_name": "CPL/BAD/0001",
            "policy_id": request.policy_id.id,
            "request_id": request.id,
            "fingerprint": "0" * 64,
            "requested_by": self.archivist.id,
            "approved_by": self.archivist_2.id,
            "destroyed_at": "2026-03-02 10:00:00",
        }

    def register_row(self):
        return (
            self.env["service.retention.register"]
            .with_context(retention_register_create=True)
            .create(self.register_values())
        )

    def attendance(self, **vals):
        return self.env["training.attendance"].create(
            dict({"session_id": self.session.id, "employee_id": self.tech_employee.id}, **vals)
        )

    def certification(self):
        return self.env["training.certification"].create(
            {
                "employee_id": self.tech_employee.id,
                "type_id": self.cert_type.id,
                "number": "ES-2026-0042",
                "issue_date": "2026-01-10",
                "expiry_date": "2027-01-10",
            }
        )

    def assessment_values(self, employee=None):
        return {
            "employee_id": (employee or self.tech_employee).id,
            "period": "monthly",
            "date_from": "2026-02-01",
            "date_to": "2026-02-28",
        }

    def new_tool(self, status=None, **vals):
        tool = self.env["maintenance.equipment"].create(
            dict({"name": "Clamp meter", "category_id": self.tool_category.id}, **vals)
        )
        if status:
            extra = {"active": False} if status == "retired" else {}
            tool.with_context(care_status_internal=True, retiring=True).write(
                dict({"care_status": status}, **extra)
            )
        return tool

    def checkout(self, tool, **vals):
        return self.env["equipment.checkout"].create(
            dict(
                {
                    "equipment_id": tool.id,
                    "employee_id": self.tech_employee.id,
                    "expected_return_at": fields.Datetime.now() + timedelta(days=1),
                },
                **vals,
            )
        )

    def part(self, order, **vals):
        return self.env["service.order.part"].create(
            dict({"service_order_id": order.id, "product_id": self.product.id}, **vals)
        )

    def retirement(self, state, **vals):
        retirement = self.env["equipment.retirement"].create(
            dict(
                {
                    "equipment_id": self.new_tool().id,
                    "reason": "worn_out",
                    "disposal_method": "scrap",
                    "assessment": "<p>Jaws worn, cannot hold calibration.</p>",
                    "requested_by_id": self.keeper.id,
                },
                **vals,
            )
        )
        return self.force_state(retirement, state) if state != "draft" else retirement

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
        # at least 60 invalid operations across the addons, known gaps not
        # counted.
        self.assertGreaterEqual(len(CASES), 60)
        names = [name for name, _func in CASES + KNOWN_GAPS]
        self.assertEqual(len(names), len(set(names)), "case names must be unique")


def _make_test(name, func):
    def test(self):
        self._run_case(name, func)

    test.__doc__ = f"Bad input: {name}"
    return test


for _index, (_name, _func) in enumerate(CASES, start=1):
    _slug = re.sub(r"\W+", "_", _name.lower()).strip("_")
    setattr(TestBadInput, f"test_bad_input_{_index:02d}_{_slug}", _make_test(_name, _func))


class KnownGapOpen(AssertionError):
    """The invalid operation of a known gap is still accepted."""


def _make_gap_test(name, func):
    def test(self):
        bad = func(self)  # a failing setup is a real failure, not the gap
        try:
            self._run_case(name, lambda _t: bad)
        except AssertionError as exc:
            if "no error raised" in str(exc):
                raise KnownGapOpen(str(exc)) from None
            raise

    test.__doc__ = f"Known gap (still accepted, should be refused): {name}"
    # strict: once the addon refuses the operation the test fails as XPASS,
    # the signal to turn the gap into a regular @case.
    return pytest.mark.xfail(raises=KnownGapOpen, strict=True, reason=name)(test)


for _index, (_name, _func) in enumerate(KNOWN_GAPS, start=1):
    _slug = re.sub(r"\W+", "_", _name.lower()).strip("_")
    setattr(TestBadInput, f"test_known_gap_{_index:02d}_{_slug}", _make_gap_test(_name, _func))
