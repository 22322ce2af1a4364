"""What the series tests share: a plan of care on the desk of tests/workspace/factories.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Practitioner
from care.models import CarePlan, CourseVisit, PlanStatus
from tests.workspace.factories import Desk


def make_plan(
    desk: Desk,
    patient: Patient,
    *,
    kind: AppointmentType | None = None,
    practitioner: Practitioner | None = None,
    **fields: Any,
) -> CarePlan:
    values: dict[str, Any] = {
        "problem": "Neck pain after long days at the desk",
        "body_region": "neck",
        "goals": ["Turn my head when driving"],
        "sessions_planned": 6,
        "spacing_days": 7,
        "measures": ["nprs"],
        "review_on": date(2026, 12, 1),
        "status": PlanStatus.ACTIVE,
    }
    values.update(fields)
    who = practitioner or desk.alex
    return CarePlan.objects.create(
        patient=patient,
        practitioner=who,
        clinic=desk.clinic,
        appointment_type=kind or desk.plain,
        created_by=who.user,
        **values,
    )


def live_course(plan: CarePlan) -> list[Appointment]:
    ids = CourseVisit.objects.filter(plan=plan).values("appointment_id")
    return list(Appointment.objects.filter(pk__in=ids, status__in=Appointment.LIVE).order_by("start"))
