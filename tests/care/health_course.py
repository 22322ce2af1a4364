"""A course of four needling visits for the health-change tests, booked through the real
services: the first screened and signed (Monday 25 May), the later three confirmed on that
consent (Wednesdays 3, 10 and 17 June). "Now" is Monday 1 June 09:00 in London, so visit 2
is two days ahead: its question is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import time_machine

from accounts.models import Patient
from booking import consent_flow, services
from booking.models import Appointment
from care.models import CarePlan, CourseVisit, PlanStatus
from care.services import plans as plan_services
from tests.workspace.factories import Desk, book_needling

FIRST = date(2026, 5, 25)
LATER = [date(2026, 6, 3), date(2026, 6, 10), date(2026, 6, 17)]
BOOKED_ON = date(2026, 5, 26)
BLOCK = {"needle_fear": "yes", "diabetes": "no"}
REVIEW = {"needle_fear": "no", "diabetes": "yes"}
CLEAR = {"needle_fear": "no", "diabetes": "no"}


@dataclass
class Course:
    plan: CarePlan
    visits: list[Appointment]

    def fresh(self) -> list[Appointment]:
        return [Appointment.objects.get(pk=v.pk) for v in self.visits]


def make_course(desk: Desk, patient: Patient) -> Course:
    first = book_needling(desk, patient, desk.at("10:00", FIRST))
    with time_machine.travel(desk.at("12:00", FIRST) - timedelta(days=1), tick=False):
        plan = plan_services.create_plan(
            practitioner_user=desk.alex.user,
            patient=patient,
            clinic=desk.clinic,
            appointment_type=desk.needling,
            data=plan_services.PlanInput(
                problem="Neck pain",
                body_region="neck",
                goals=["Turn my head when driving", "Sleep through the night", "Work at my desk"],
                sessions_planned=4,
                spacing_days=7,
                measures=["nprs", "psfs"],
                review_on=date(2026, 7, 1),
            ),
        )
        plan = plan_services.change_status(plan=plan, to=PlanStatus.ACTIVE, by=desk.alex.user)
    visits = [first]
    with time_machine.travel(desk.at("12:00", BOOKED_ON), tick=False):
        for day in LATER:
            held = services.hold_appointment(
                patient, appointment_type=desk.needling, start=desk.at("10:00", day), practitioner=desk.alex
            )
            visits.append(
                consent_flow.confirm_with_existing_consent(patient, appointment_id=held.pk, health_unchanged=True)
            )
    for number, visit in enumerate(visits, start=1):
        # The series booking writes these rows (another part of issue 18); here they are the setup.
        CourseVisit.objects.create(plan=plan, appointment=visit, number=number)
    assert [v.status for v in visits] == [Appointment.Status.CONFIRMED] * 4
    return Course(plan, visits)
