from datetime import datetime

from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.common import create_role_users


class TrainingCommon(TransactionCase):
    """Role users, employees and training master data; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        create_role_users(
            cls,
            {
                "officer": (
                    "st_officer_c",
                    "service_training.group_training_officer",
                    "Olivia Officer",
                    {"email": "olivia@example.com"},
                ),
                "dispatcher": ("st_dispatch_c", "dispatcher", "Dana Dispatcher"),
                "tech_user": ("st_tech_c", "technician", "Li Lei", {"email": "li.lei@example.com"}),
                "tech_user_2": (
                    "st_tech2_c",
                    "technician",
                    "Han Meimei",
                    {"email": "han.meimei@example.com"},
                ),
            },
        )
        cls.department = cls.env["hr.department"].create({"name": "Field Service"})
        Employee = cls.env["hr.employee"]
        cls.tech = Employee.create(
            {"name": "Li Lei", "user_id": cls.tech_user.id, "department_id": cls.department.id}
        )
        cls.tech_2 = Employee.create(
            {
                "name": "Han Meimei",
                "user_id": cls.tech_user_2.id,
                "department_id": cls.department.id,
            }
        )
        cls.officer_employee = Employee.create(
            {"name": "Olivia Officer", "user_id": cls.officer.id}
        )
        CertType = cls.env["training.certification.type"]
        cls.type_refrigerant = CertType.create(
            {"name": "Refrigerant (test)", "code": "T-REF", "validity_months": 36}
        )
        cls.type_electric = CertType.create(
            {"name": "Electrician (test)", "code": "T-ELEC", "validity_months": 12}
        )
        cls.course = cls.env["training.course"].create(
            {
                "name": "Refrigerant handling (test)",
                "category": "safety",
                "mode": "practical",
                "hours": 24,
                "theory_pass_mark": 60,
                "practical_pass_mark": 70,
                "certification_type_id": cls.type_refrigerant.id,
            }
        )
        cls.category = cls.env["service.category"].create(
            {
                "name": "Air conditioner repair (test)",
                "required_certification_type_ids": [(6, 0, cls.type_refrigerant.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Wang Fang"})

    @classmethod
    def _session(cls, start=datetime(2026, 3, 2, 1, 0), end=datetime(2026, 3, 4, 9, 0), **vals):
        return cls.env["training.session"].create(
            dict({"course_id": cls.course.id, "date_start": start, "date_end": end}, **vals)
        )

    @classmethod
    def _cert(cls, employee, cert_type, issue, expiry=None, **vals):
        values = {"employee_id": employee.id, "type_id": cert_type.id, "issue_date": issue}
        if expiry is not None:
            values["expiry_date"] = expiry
        values.update(vals)
        return cls.env["training.certification"].create(values)

    @classmethod
    def _finished_orders(cls, user, received_and_met):
        """Done orders of ``user`` whose SLA the engine judges met or breached.

        ``received_and_met`` is a list of (received_at, met). The order state
        and SLA bookkeeping are engine-only fields, so the orders are written
        as the superuser would import finished work; the SLA engine then derives
        ``sla_status`` itself from ``resolved_at``/``sla_breached``."""
        return (
            cls.env["service.order"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": cls.customer.id,
                        "user_id": user.id,
                        "received_at": received,
                        "state": "done",
                        "resolved_at": received.replace(hour=received.hour + 4),
                        "sla_breached": not met,
                    }
                    for received, met in received_and_met
                ]
            )
        )

    @classmethod
    def _service_order(cls, user=None, appointment=datetime(2026, 6, 10, 2, 0), **vals):
        return cls.env["service.order"].create(
            dict(
                {
                    "partner_id": cls.customer.id,
                    "category_id": cls.category.id,
                    "user_id": user.id if user else False,
                    "appointment_start": appointment,
                    "appointment_end": appointment.replace(hour=appointment.hour + 2),
                    # assessing an order needs both (service_quality transition rules)
                    "diagnosis": "Compressor short-cycles, low refrigerant pressure",
                    "plan": "Find and braze the leak, evacuate and recharge the circuit",
                },
                **vals,
            )
        )
