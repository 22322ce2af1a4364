"""One course of care on one page: its visits, scores, adherence, side effects and health
answers, loaded in a fixed number of queries however long the course (seven at most: visits,
scores, the clinic's own instruments when the plan tracks one, adherence's two, check-ins and
health answers). Times are in the clinic's zone.

`not_improving` serves the practitioner's day view: which active plans have reached their
review date without a meaningful improvement, in two queries for a whole day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from booking.models import Appointment, SideEffect, SymptomReport
from care import course_chart
from care.builtin_instruments import BUILT_IN
from care.instruments import Instrument, InstrumentError, instrument_from_dict
from care.models import CarePlan, ClinicInstrument, CourseVisit, HealthChangeAnswer, OutcomeScore, PlanStatus
from care.models.outcomes import Timepoint
from care.selectors.exercises import plan_adherence

Status = Appointment.Status
# A visit done or to come holds its place in the course; a cancelled, declined or missed one, or a
# hold that ran out, frees its session to be booked again.
DONE, TO_COME, CANCELLED, MISSED = "done", "to_come", "cancelled", "missed"


@dataclass(frozen=True)
class HealthChange:
    appointment_id: int
    since: date
    changed: bool
    outcome: str
    outcome_label: StrOrPromise


@dataclass(frozen=True)
class Visit:
    appointment_id: int
    number: int
    of: int  # the sessions planned: "2 of 6"
    start: datetime  # in the clinic's zone
    end: datetime
    status: str
    status_label: StrOrPromise
    state: str  # done, to_come, cancelled or missed
    moved_reason: str
    health_change: HealthChange | None


@dataclass(frozen=True)
class SideEffectReport:
    appointment_id: int
    visit_number: int | None
    reported_at: datetime  # in the clinic's zone
    pain_now: int
    effects: list[StrOrPromise]
    red_flag: bool
    notes: str


@dataclass
class InstrumentCourse:
    code: str
    name: StrOrPromise
    scale: course_chart.Scale
    points: list[course_chart.Point]

    @property
    def baseline(self) -> course_chart.Point | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> course_chart.Point | None:
        return self.points[-1] if len(self.points) > 1 else None

    @cached_property
    def chart(self) -> course_chart.ScoreChart:
        return course_chart.score_chart(self.scale, self.points, id_prefix=f"chart-{self.code}")


@dataclass(frozen=True)
class AdherenceWeek:
    starts_on: date  # a Monday
    prescribed: int
    done: int
    share: float | None  # 0..1, to two places (a whole percentage); None when nothing was prescribed


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 2)


@dataclass(frozen=True)
class Course:
    plan: CarePlan
    zone: ZoneInfo
    today: date
    visits: list[Visit]
    unbooked: int
    instruments: list[InstrumentCourse]
    adherence: list[AdherenceWeek]
    side_effects: list[SideEffectReport]
    health_changes: list[HealthChange] = field(default_factory=list)

    @property
    def done(self) -> list[Visit]:
        return [v for v in self.visits if v.state == DONE]

    @property
    def to_come(self) -> list[Visit]:
        return [v for v in self.visits if v.state == TO_COME]

    @property
    def not_held(self) -> list[Visit]:
        return [v for v in self.visits if v.state in (CANCELLED, MISSED)]

    @property
    def overall_adherence(self) -> float | None:
        total = sum(week.prescribed for week in self.adherence)
        return _rounded(sum(week.done for week in self.adherence) / total) if total else None


def course_for(plan: CarePlan, *, today: date, now: datetime | None = None) -> Course:
    """The plan's course as its page shows it; `today` is the clinic's local date."""
    now = now or timezone.now()
    zone = plan.clinic.zone
    answers = _health_changes(plan)
    visits = _visits(plan, zone, now, {a.appointment_id: a for a in answers})
    counted = sum(1 for v in visits if v.state in (DONE, TO_COME))
    return Course(
        plan=plan,
        zone=zone,
        today=today,
        visits=visits,
        unbooked=max(0, plan.sessions_planned - counted),
        instruments=_instruments(plan, zone),
        adherence=[
            AdherenceWeek(w.starts_on, w.prescribed, w.done, _rounded(w.share)) for w in plan_adherence(plan, today)
        ],
        side_effects=_side_effects(plan, zone, {v.appointment_id: v.number for v in visits}),
        health_changes=answers,
    )


def _state(appointment: Appointment, now: datetime) -> str:
    if appointment.status == Status.COMPLETED:
        return DONE
    if appointment.status == Status.NO_SHOW:
        return MISSED
    expires = appointment.hold_expires_at
    if appointment.status == Status.HELD and (expires is None or expires <= now):
        return CANCELLED  # a hold that ran out frees its session (as care.selectors.series counts)
    if appointment.status in Appointment.LIVE:
        # Attended but not yet marked completed by the practitioner still counts as done.
        return DONE if appointment.status == Status.CONFIRMED and appointment.end <= now else TO_COME
    return CANCELLED


def _visits(plan: CarePlan, zone: ZoneInfo, now: datetime, answers: dict[int, HealthChange]) -> list[Visit]:
    rows = CourseVisit.objects.filter(plan=plan).select_related("appointment").order_by("appointment__start", "pk")
    # get_status_display() hashes the lazy choices on every call: look the words up once instead.
    words = {value: str(label) for value, label in Status.choices}
    return [
        Visit(
            appointment_id=row.appointment_id,
            number=row.number,
            of=plan.sessions_planned,
            start=row.appointment.start.astimezone(zone),
            end=row.appointment.end.astimezone(zone),
            status=row.appointment.status,
            status_label=words.get(row.appointment.status, row.appointment.status),
            state=_state(row.appointment, now),
            moved_reason=row.moved_reason,
            health_change=answers.get(row.appointment_id),
        )
        for row in rows
    ]


def _health_changes(plan: CarePlan) -> list[HealthChange]:
    words = {value: str(label) for value, label in HealthChangeAnswer.Outcome.choices}
    return [
        HealthChange(
            appointment_id=row.appointment_id,
            since=row.since,
            changed=row.changed,
            outcome=row.outcome,
            outcome_label=words.get(row.outcome, row.outcome),
        )
        for row in HealthChangeAnswer.objects.filter(plan=plan).order_by("answered_at", "pk")
    ]


def _instrument_definitions(plan: CarePlan, codes: Iterable[str]) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {code: BUILT_IN[code] for code in codes if code in BUILT_IN}
    own = [code for code in codes if code not in BUILT_IN]
    if own:
        for row in ClinicInstrument.objects.filter(clinic_id=plan.clinic_id, code__in=own):
            try:
                found[row.code] = instrument_from_dict(row.definition)
            except InstrumentError:
                continue  # a definition the clinic must fix: its scores are still listed, unscaled
    return found


def _scale(instrument: Instrument, threshold_code: str) -> course_chart.Scale:
    try:
        threshold = instrument.threshold(threshold_code or None)
    except InstrumentError:
        threshold = instrument.threshold()
    return course_chart.Scale(
        name=instrument.name,
        low=instrument.range.min,
        high=instrument.range.max,
        higher_is_better=instrument.higher_is_better,
        threshold_points=threshold.points,
        threshold_percent=threshold.percent,
        threshold_label=threshold.label,
        threshold_source=threshold.source,
    )


def _instruments(plan: CarePlan, zone: ZoneInfo) -> list[InstrumentCourse]:
    rows = list(OutcomeScore.objects.filter(plan=plan).defer("answers").order_by("answered_at", "pk"))
    codes = list(dict.fromkeys([*plan.measures, *(row.instrument for row in rows)]))
    definitions = _instrument_definitions(plan, codes)
    labels = {str(value): str(label) for value, label in Timepoint.choices}  # translated once, not per row
    out = []
    for code in codes:
        scores = [row for row in rows if row.instrument == code]
        instrument = definitions.get(code)
        if instrument is None:
            continue
        points = [_point(row, zone, labels) for row in scores]
        scale = _scale(instrument, scores[0].threshold if scores else "")
        out.append(InstrumentCourse(code=code, name=instrument.name, scale=scale, points=points))
    return out


def _point(row: OutcomeScore, zone: ZoneInfo, labels: dict[str, str]) -> course_chart.Point:
    return course_chart.Point(
        when=row.answered_at.astimezone(zone),
        timepoint=row.timepoint,
        timepoint_label=labels.get(row.timepoint, row.timepoint),
        score=float(row.score),
        baseline=float(row.baseline),
        change=float(row.change),
        change_percent=None if row.change_percent is None else float(row.change_percent),
        meaningful=row.meaningful,
        threshold_source=row.threshold_source,
    )


def _effect_label(value: str) -> StrOrPromise:
    return SideEffect(value).label if value in SideEffect.values else value


def _side_effects(plan: CarePlan, zone: ZoneInfo, numbers: dict[int, int]) -> list[SideEffectReport]:
    reports = SymptomReport.objects.filter(appointment__course_visit__plan=plan).order_by("created_at", "pk")
    return [
        SideEffectReport(
            appointment_id=report.appointment_id,
            visit_number=numbers.get(report.appointment_id),
            reported_at=report.created_at.astimezone(zone),
            pain_now=report.pain_now,
            effects=[_effect_label(value) for value in report.side_effects],
            red_flag=report.red_flag,
            notes=report.notes,
        )
        for report in reports
    ]


# --- The day view's flag -----------------------------------------------------------------------


def not_improving(plans: QuerySet[CarePlan], today: date) -> list[CarePlan]:
    """The active plans among `plans` whose review date is `today` or past and that show no
    meaningful improvement: no instrument's latest score after the baseline passes its threshold
    (or there is no score after the baseline at all). Two queries, however many plans."""
    due = list(plans.filter(status=PlanStatus.ACTIVE, review_on__lte=today).order_by("pk"))
    if not due:
        return []
    later = OutcomeScore.objects.exclude(timepoint=Timepoint.BASELINE)
    latest = later.filter(plan=OuterRef("plan"), instrument=OuterRef("instrument")).order_by("-answered_at", "-pk")
    improving = set(
        later.filter(plan__in=due, meaningful=True, pk=Subquery(latest.values("pk")[:1])).values_list(
            "plan_id", flat=True
        )
    )
    return [plan for plan in due if plan.pk not in improving]
