"""A course of care for the course-message tests: a plan, its visits, exercises and reminder,
written directly (the plan, series and exercise services are other parts of issue 18)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from django.core import mail

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Practitioner
from care.models import CarePlan, CourseVisit, Exercise, ExerciseLog, ExerciseReminder, PlanExercise
from care.models.plans import BodyRegion, PlanStatus
from notifications.dispatch import claim_due, send_one
from notifications.models import Notification
from tests.booking.factories import insert_appointment


def make_plan(
    patient: Patient, practitioner: Practitioner, kind: AppointmentType, *, sessions: int = 4, **fields: Any
) -> CarePlan:
    values: dict[str, Any] = {
        "patient": patient,
        "practitioner": practitioner,
        "clinic": kind.clinic,
        "appointment_type": kind,
        "problem": "Neck pain after long days at the desk",
        "body_region": BodyRegion.NECK,
        "goals": ["Turn my head when driving"],
        "sessions_planned": sessions,
        "spacing_days": 7,
        "review_on": date(2026, 7, 1),
        "status": PlanStatus.ACTIVE,
        "created_by": practitioner.user,
    }
    return CarePlan.objects.create(**{**values, **fields})


def course_visit(
    plan: CarePlan, start: datetime, *, status: str = Appointment.Status.CONFIRMED, number: int | None = None
) -> Appointment:
    appointment = insert_appointment(plan.patient, plan.practitioner, plan.appointment_type, start, status=status)
    CourseVisit.objects.create(plan=plan, appointment=appointment, number=number or plan.visits.count() + 1)
    return appointment


def prescribe(plan: CarePlan, *, name: str = "Chin tucks", start_on: date, **fields: Any) -> PlanExercise:
    exercise, _created = Exercise.objects.get_or_create(
        clinic=plan.clinic,
        name=name,
        defaults={
            "instructions": "Sit tall and draw your chin straight back.",
            "translations": {"es": {"name": f"{name} (es)"}, "fr": {"name": f"{name} (fr)"}},
        },
    )
    return PlanExercise.objects.create(plan=plan, exercise=exercise, start_on=start_on, **fields)


def remind(plan: CarePlan, at: time, *, active: bool = True) -> ExerciseReminder:
    return ExerciseReminder.objects.create(plan=plan, at=at, active=active, stop_token=f"stop-{plan.pk}-token")


def tick(prescription: PlanExercise, day: date) -> ExerciseLog:
    return ExerciseLog.objects.create(prescription=prescription, day=day)


def course_rows(plan: CarePlan, kind: str, **filters: Any) -> list[Notification]:
    return list(Notification.objects.filter(plan=plan, kind=kind, **filters).order_by("channel", "for_day", "pk"))


def send_due(*, now: datetime, worker: str = "test-worker") -> dict[int, str]:
    """Claim and send every due row at `now`; notification id -> its new status."""
    return {pk: send_one(pk, worker=worker, now=now) for pk in claim_due(worker=worker, now=now)}


@dataclass(frozen=True)
class Email:
    to: list[str]
    subject: str
    body: str
    html: str


def the_email() -> Email:
    """The one message in Django's test outbox, as plain strings."""
    [message] = cast(list[Any], mail.outbox)
    [(html, _mimetype)] = message.alternatives
    return Email(to=list(message.to), subject=str(message.subject), body=str(message.body), html=str(html))
