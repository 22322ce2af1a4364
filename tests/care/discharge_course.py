"""A course ready for discharge, for the discharge tests: an active plan at the desk's clinic
with three attended visits and one cancelled, NPRS and PSFS scores (baseline, a visit, and for
NPRS a discharge score), two home exercises and a check-in that reported bruising.

Scores and prescriptions are written as rows (their own services belong to other parts of the
course of care); visits, completions and check-ins go through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import time_machine

from accounts.models import Patient
from booking import services as booking_services
from booking.models import Appointment
from care import symptoms
from care.models import CarePlan, CourseVisit, Exercise, OutcomeScore, PlanExercise, PlanStatus
from care.services import plans
from tests.workspace.factories import Desk, book_plain

VISIT_DAYS = (date(2026, 5, 11), date(2026, 5, 18), date(2026, 5, 25))
GOALS = ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"]


def make_plan(desk: Desk, patient: Patient, *, status: str = PlanStatus.ACTIVE) -> CarePlan:
    with time_machine.travel(desk.at("08:00", date(2026, 5, 4)), tick=False):
        book_plain(desk, patient, desk.at("10:00", date(2026, 5, 6)))
        plan = plans.create_plan(
            practitioner_user=desk.alex.user,
            patient=patient,
            clinic=desk.clinic,
            appointment_type=desk.plain,
            data=plans.PlanInput(
                problem="Neck pain after long days at the desk",
                body_region="neck",
                goals=GOALS,
                sessions_planned=4,
                spacing_days=7,
                measures=["nprs", "psfs"],
                review_on=date(2026, 7, 1),
            ),
        )
    moves: dict[str, list[str]] = {PlanStatus.ACTIVE: ["active"], PlanStatus.ON_HOLD: ["active", "on_hold"]}
    for to in moves.get(status, []):
        plan = plans.change_status(plan=plan, to=to, by=desk.alex.user)
    return plan


def _score(plan: CarePlan, instrument: str, timepoint: str, score: str, baseline: str, **extra: Any) -> OutcomeScore:
    value, start = Decimal(score), Decimal(baseline)
    lower_is_better = instrument == "nprs"
    change = start - value if lower_is_better else value - start
    return OutcomeScore.objects.create(
        plan=plan,
        instrument=instrument,
        timepoint=timepoint,
        answers={"pain": int(value)} if instrument == "nprs" else {"activities": [float(value)] * 3},
        score=value,
        baseline=start,
        change=change,
        change_percent=(change / start * 100).quantize(Decimal("0.1")) if start else None,
        answered_by=plan.patient.user,
        **extra,
    )


def add_course(desk: Desk, plan: CarePlan) -> list[Appointment]:
    """Three attended visits and a fourth cancelled; scores, exercises and a check-in."""
    visits = []
    for number, day in enumerate((*VISIT_DAYS, date(2026, 6, 8)), start=1):
        appointment = book_plain(desk, plan.patient, desk.at("10:00", day))
        CourseVisit.objects.create(plan=plan, appointment=appointment, number=number)
        visits.append(appointment)
    for appointment in visits[:3]:
        booking_services.mark_completed(appointment, actor=desk.alex.user, now=appointment.end)
    with time_machine.travel(visits[0].end + timedelta(hours=2), tick=False):
        symptoms.record_symptoms(visits[0], pain_now=3, side_effects=["bruising"])
    with time_machine.travel(visits[1].end + timedelta(hours=2), tick=False):
        symptoms.record_symptoms(visits[1], pain_now=2, side_effects=[])
    booking_services.cancel_appointment(visits[3], actor=desk.alex.user, reason="Feeling better", override=True)

    at = [desk.at("09:30", day) for day in VISIT_DAYS]
    _score(plan, "nprs", "baseline", "6", "6", answered_at=at[0], appointment=visits[0])
    _score(
        plan,
        "nprs",
        "visit",
        "4",
        "6",
        answered_at=at[1],
        appointment=visits[1],
        meaningful=True,
        threshold="farrar-2001",
        threshold_source="Farrar et al., Pain 2001, PMID 11690728",
    )
    _score(
        plan,
        "nprs",
        "discharge",
        "2",
        "6",
        answered_at=at[2],
        meaningful=True,
        threshold="farrar-2001",
        threshold_source="Farrar et al., Pain 2001, PMID 11690728",
    )
    _score(plan, "psfs", "baseline", "4", "4", answered_at=at[0])
    _score(
        plan,
        "psfs",
        "visit",
        "5",
        "4",
        answered_at=at[2],
        appointment=visits[2],
        threshold="small",
        threshold_source="Abbott and Schmitt, JOSPT 2014, 1,708 patients, doi 10.2519/jospt.2014.5248",
    )

    chin = Exercise.objects.create(
        clinic=desk.clinic,
        name="Chin tucks",
        instructions="Sit tall and draw your chin back.",
        translations={"es": {"name": "Retracción de mentón"}},
    )
    stretch = Exercise.objects.create(clinic=desk.clinic, name="Upper trapezius stretch", instructions="Lean.")
    PlanExercise.objects.create(
        plan=plan,
        exercise=chin,
        sets=3,
        repetitions=10,
        hold_seconds=5,
        times_a_day=2,
        start_on=VISIT_DAYS[0],
        position=1,
    )
    PlanExercise.objects.create(
        plan=plan,
        exercise=stretch,
        sets=1,
        repetitions=3,
        hold_seconds=30,
        times_a_day=1,
        start_on=VISIT_DAYS[0],
        position=2,
        note="Gently",
    )
    return visits
