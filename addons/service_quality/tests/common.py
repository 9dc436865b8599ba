import contextlib

from freezegun import freeze_time

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# Groups of the roles of the suite. The addons built on service_quality name
# their own roles by group xml id (create_role_users accepts both).
ROLE_GROUPS = {
    "technician": "service_quality.group_service_user",
    "dispatcher": "service_quality.group_service_dispatcher",
    "inspector": "service_quality.group_quality_inspector",
    "manager": "service_quality.group_service_manager",
    "archivist": "service_quality.group_archivist",
    "employee": "base.group_user",
    "portal": "base.group_portal",
}


def service_team(prefix):
    """The service team the tests of every addon work with, for
    ``create_role_users``: two technicians, a dispatcher and an inspector,
    logins starting with ``prefix``."""
    return {
        "technician": (f"{prefix}_tech", "technician", "Tess Technician"),
        "technician_2": (f"{prefix}_tech2", "technician", "Tom Technician"),
        "dispatcher": (f"{prefix}_dispatch", "dispatcher", "Dana Dispatcher"),
        "inspector": (f"{prefix}_inspect", "inspector", "Quinn Inspector"),
    }


def create_role_users(cls, users):
    """Create one test user per entry of ``users`` and set it on ``cls``.

    ``users`` maps the class attribute to ``(login, role, name)`` or
    ``(login, role, name, values)``: ``role`` is a key of ``ROLE_GROUPS`` or
    group xml ids (comma separated), ``name`` may be ``None`` (Odoo's
    default test name), ``values`` are extra fields of the user."""
    for attribute, (login, role, name, *values) in users.items():
        groups = ROLE_GROUPS.get(role, role)
        setattr(cls, attribute, new_test_user(cls.env, login, groups, name=name, **dict(*values)))


class ServiceQualityCommon(TransactionCase):
    """Role users and a minimal set of master data, no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        create_role_users(
            cls,
            {
                **service_team("sq"),
                "manager": ("sq_manager", "manager", "Max Manager"),
                "manager_2": ("sq_manager2", "manager", "Mia Manager"),
                "archivist": ("sq_archivist", "archivist", "Ari Archivist"),
                "employee": ("sq_employee", "employee", "Eve Employee"),
            },
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Chen Wei", "email": "chen.wei@example.com", "phone": "+86 21 5555 0101"}
        )
        create_role_users(
            cls,
            {"portal_user": ("sq_portal", "portal", None, {"partner_id": cls.customer.id})},
        )
        cls.category = cls.env["service.category"].create({"name": "Washing machine repair"})


def batch_queries(case, job, make_records, counts, run_at, created_at=None):
    """Run the batched ``job`` at ``run_at`` once per number of ``counts``
    on records made by ``make_records(count)`` (at ``created_at`` when
    given); return ``{count: (records, queries of the call)}``. The job must
    handle all of them in one call, and log no untranslated message.

    Counted by hand: ``assertQueryCount`` only works in a method whose own
    source calls it (Odoo tags such tests by reading their source)."""
    batches = {}
    for count in counts:
        with freeze_time(created_at) if created_at else contextlib.nullcontext():
            records = make_records(count)
        case.env.flush_all()
        case.env.invalidate_all()
        start = case.cr.sql_log_count
        with freeze_time(run_at), case.assertNoLogs("odoo.tools.translate", "WARNING"):
            case.assertEqual(job(), count)
            case.env.flush_all()
        batches[count] = (records, case.cr.sql_log_count - start)
    return batches
