"""The facts of a discharge summary, gathered once into plain data for care.discharge_pdf.

`gather` reads the database in a fixed number of queries; everything after it (choosing the
final score, counting sessions) is plain Python on the rows it read. Codes stay codes here
(reason, body region, side effects): the PDF words them in the patient's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from booking.models import Appointment, SymptomReport
from care.models import CarePlan, CourseVisit, OutcomeScore, PlanExercise, Timepoint
from care.models.exercises import Exercise


@dataclass(frozen=True)
class ScoreLine:
    """One instrument's baseline and final score, with the change the final row stored."""

    instrument: str
    baseline: Decimal
    final: Decimal
    change: Decimal
    change_percent: Decimal | None
    meaningful: bool
    threshold: str
    threshold_source: str
    baseline_on: date
    final_on: date
    final_timepoint: str


@dataclass(frozen=True)
class ExerciseLine:
    exercise: Exercise
    sets: int
    repetitions: int
    hold_seconds: int
    times_a_day: int
    note: str


@dataclass(frozen=True)
class SideEffectLine:
    """One check-in that reported side effects (a check-in with none is not listed)."""

    day: date
    effects: tuple[str, ...]
    red_flag: bool


@dataclass(frozen=True)
class Summary:
    plan_id: int
    patient_name: str
    practitioner_name: str
    clinic_name: str
    zone: str
    problem: str
    body_region: str
    goals: tuple[str, ...]
    started_on: date
    first_visit_on: date | None
    last_visit_on: date | None
    discharged_at: datetime
    reason: str
    note: str
    sessions_attended: int
    sessions_planned: int
    scores: tuple[ScoreLine, ...]
    exercises: tuple[ExerciseLine, ...]
    side_effects: tuple[SideEffectLine, ...]
    language: str


def gather(plan: CarePlan, *, reason: str, note: str, at: datetime, language: str) -> Summary:
    zone = plan.clinic.zone
    visits = list(CourseVisit.objects.filter(plan=plan).select_related("appointment").order_by("number", "pk"))
    attended = [v.appointment for v in visits if v.appointment.status == Appointment.Status.COMPLETED]
    scores = list(OutcomeScore.objects.filter(plan=plan).order_by("instrument", "answered_at", "pk"))
    prescriptions = PlanExercise.objects.filter(plan=plan).select_related("exercise").order_by("position", "pk")
    reports = SymptomReport.objects.filter(appointment__in=[v.appointment for v in visits]).order_by("created_at", "pk")
    return Summary(
        plan_id=plan.pk,
        patient_name=plan.patient.legal_name,
        practitioner_name=plan.practitioner.display_name,
        clinic_name=plan.clinic.name,
        zone=str(zone),
        problem=plan.problem,
        body_region=plan.body_region,
        goals=tuple(plan.goals),
        started_on=plan.created_at.astimezone(zone).date(),
        first_visit_on=attended[0].start.astimezone(zone).date() if attended else None,
        last_visit_on=attended[-1].start.astimezone(zone).date() if attended else None,
        discharged_at=at,
        reason=reason,
        note=note,
        sessions_attended=len(attended),
        sessions_planned=plan.sessions_planned,
        scores=tuple(score_lines(scores, zone=zone)),
        exercises=tuple(
            ExerciseLine(p.exercise, p.sets, p.repetitions, p.hold_seconds, p.times_a_day, p.note)
            for p in prescriptions
        ),
        side_effects=tuple(side_effect_lines(reports, zone=zone)),
        language=language,
    )


def score_lines(scores: Sequence[OutcomeScore], *, zone: ZoneInfo) -> Iterable[ScoreLine]:
    """Per instrument, in code order: the baseline row, and the discharge row when there is one,
    else the latest. An instrument answered only at baseline has no change to report yet, and is
    shown with its baseline as the final score (change 0)."""
    by_instrument: dict[str, list[OutcomeScore]] = {}
    for score in scores:
        by_instrument.setdefault(score.instrument, []).append(score)
    for code in sorted(by_instrument):
        rows = sorted(by_instrument[code], key=lambda s: (s.answered_at, s.pk))
        first = next((s for s in rows if s.timepoint == Timepoint.BASELINE), rows[0])
        final = next((s for s in rows if s.timepoint == Timepoint.DISCHARGE), rows[-1])
        yield ScoreLine(
            instrument=code,
            baseline=final.baseline,
            final=final.score,
            change=final.change,
            change_percent=final.change_percent,
            meaningful=final.meaningful,
            threshold=final.threshold,
            threshold_source=final.threshold_source,
            baseline_on=first.answered_at.astimezone(zone).date(),
            final_on=final.answered_at.astimezone(zone).date(),
            final_timepoint=final.timepoint,
        )


def side_effect_lines(reports: Iterable[SymptomReport], *, zone: ZoneInfo) -> Iterable[SideEffectLine]:
    for report in reports:
        if report.side_effects:
            yield SideEffectLine(
                day=report.created_at.astimezone(zone).date(),
                effects=tuple(report.side_effects),
                red_flag=report.red_flag,
            )
