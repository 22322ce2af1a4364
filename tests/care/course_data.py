"""What the course page tests share: an active plan at the desk's clinic, visits that belong to
it, and scores written as the outcomes part writes them (care.scoring works out the change; the
row is inserted directly because the scores service is another part of issue 18)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from accounts.models import Patient
from booking.models import Appointment
from care import scoring
from care.builtin_instruments import BUILT_IN
from care.models import CarePlan, CourseVisit, Exercise, ExerciseLog, OutcomeScore, PlanExercise
from care.services import plans as plan_services
from tests.care.plans import seen
from tests.workspace.factories import MONDAY, Desk, book_plain

GOALS = ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"]


def active_plan(
    desk: Desk,
    patient: Patient,
    *,
    sessions: int = 6,
    measures: tuple[str, ...] = ("nprs", "psfs"),
    review_on: date = MONDAY + timedelta(days=28),
    seen_at: str = "09:00",
) -> CarePlan:
    seen(desk, patient, seen_at)
    plan = plan_services.create_plan(
        practitioner_user=desk.alex.user,
        patient=patient,
        clinic=desk.clinic,
        appointment_type=desk.needling,
        data=plan_services.PlanInput(
            problem="Neck pain after long days at the desk",
            body_region="neck",
            goals=GOALS,
            sessions_planned=sessions,
            spacing_days=7,
            measures=list(measures),
            review_on=review_on,
        ),
    )
    return plan_services.change_status(plan=plan, to="active", by=desk.alex.user)


def visit(desk: Desk, plan: CarePlan, start: datetime, number: int) -> Appointment:
    appointment = book_plain(desk, plan.patient, start)
    CourseVisit.objects.create(plan=plan, appointment=appointment, number=number)
    return appointment


def score(plan: CarePlan, instrument: str, value: float, at: datetime, *, timepoint: str = "visit") -> OutcomeScore:
    """A score of `value` (NPRS: the pain; PSFS: every activity rated `value`)."""
    definition = BUILT_IN[instrument]
    answers = {goal: int(value) for goal in GOALS} if definition.patient_named else {"pain": int(value)}
    current = scoring.score(definition, answers)
    first = OutcomeScore.objects.filter(plan=plan, instrument=instrument, timepoint="baseline").first()
    baseline = float(first.score) if first else current
    change = scoring.change(definition, baseline, current)
    return OutcomeScore.objects.create(
        plan=plan,
        instrument=instrument,
        timepoint="baseline" if first is None else timepoint,
        answers=answers,
        score=current,
        baseline=baseline,
        change=round(change.improvement, 2),
        change_percent=None if change.improvement_percent is None else round(change.improvement_percent, 1),
        meaningful=first is not None and change.meaningful,
        threshold=change.threshold.code,
        threshold_source=change.source,
        answered_by=plan.patient.user,
        answered_at=at,
    )


def exercise_days(plan: CarePlan, start_on: date, done: list[date]) -> PlanExercise:
    exercise = Exercise.objects.create(
        clinic=plan.clinic, name=f"Chin tucks {plan.pk}", instructions="Pull your chin in gently."
    )
    prescription = PlanExercise.objects.create(plan=plan, exercise=exercise, start_on=start_on)
    for day in done:
        ExerciseLog.objects.create(prescription=prescription, day=day)
    return prescription
