"""What the outcome-score tests share: an active plan at the desk's clinic, course visits on it
(written directly: series booking is another part's), and posting a score."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from care.models import CarePlan, CourseVisit
from care.services import PlanInput, change_status, create_plan
from tests.workspace.factories import MONDAY, Desk, book_plain

GOALS = ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"]


def active_plan(
    desk: Desk,
    patient: Patient,
    *,
    region: str = "lower_back",
    measures: tuple[str, ...] = ("nprs", "psfs"),
    activate: bool = True,
) -> CarePlan:
    """A plan after an assessment on Friday 29 May, proposed by Alex and (by default) started."""
    book_plain(desk, patient, desk.at("10:00", MONDAY - timedelta(days=3)))
    plan = create_plan(
        practitioner_user=desk.alex.user,
        patient=patient,
        clinic=desk.clinic,
        appointment_type=desk.needling,
        data=PlanInput(
            problem="Pain after long days at the desk",
            body_region=region,
            goals=GOALS if "psfs" in measures else [],
            sessions_planned=4,
            spacing_days=7,
            measures=list(measures),
            review_on=date(2026, 7, 1),
        ),
    )
    if activate:
        plan = change_status(plan=plan, to="active", by=desk.alex.user)
    return plan


def course_visit(desk: Desk, plan: CarePlan, start: datetime, number: int = 1) -> Appointment:
    appointment = book_plain(desk, plan.patient, start)
    CourseVisit.objects.create(plan=plan, appointment=appointment, number=number)
    return appointment


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")
