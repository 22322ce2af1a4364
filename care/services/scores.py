"""Recording an outcome score for a plan of care (issue 18, part 4).

Every score keeps the raw answers, the score, the plan's baseline for that instrument, the
change from it in points and as a percentage (both signed so that better is positive) and
whether it is a meaningful change, with the threshold applied and its source (FACTS.md
section 6). The arithmetic is care.scoring's; this module checks the answers against the plan,
applies the timepoint rules and writes the row.

Decisions (docs/instruments.md says the same):
- A visit, check-in or discharge score before the plan has a baseline for that instrument is
  refused (409 `no_baseline`): quietly making it the baseline would mislabel when it was taken.
- NPRS on a plan for the neck is judged by Cleland 2008's 1.3 points (mechanical neck pain);
  every other instrument and region by the instrument's default (first) threshold.
- An appointment, when given, must be a visit of this plan's course that has happened; a visit
  score needs one, and each visit takes one score per instrument (a baseline given at visit 1
  counts as that visit's score).
- Baseline: plan proposed or active. Visit and check-in: active. Discharge: active or completed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking.errors import BookingError
from booking.models import Appointment
from care.errors import InvalidInput
from care.instruments import Instrument
from care.models import BodyRegion, CarePlan, CourseVisit, OutcomeScore, PlanStatus, Timepoint
from care.scoring import ScoreError, change, score
from care.selectors.instruments import UnknownInstrument, instrument_for

# Which threshold judges an instrument on a plan for a body region, where FACTS.md section 6
# gives one for that population; anything else uses the instrument's first threshold.
REGION_THRESHOLDS: Mapping[tuple[str, str], str] = {("nprs", BodyRegion.NECK): "cleland-2008-neck"}

OPEN_FOR = {
    Timepoint.BASELINE: (PlanStatus.PROPOSED, PlanStatus.ACTIVE),
    Timepoint.VISIT: (PlanStatus.ACTIVE,),
    Timepoint.CHECKIN: (PlanStatus.ACTIVE,),
    Timepoint.DISCHARGE: (PlanStatus.ACTIVE, PlanStatus.COMPLETED),
}
HAPPENED = (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED)
PERCENT_LIMIT = 100_000  # OutcomeScore.change_percent holds 6 digits before the point


class ScoreConflict(BookingError):
    """A score the plan cannot take now (a second baseline, none yet, a closed plan): a 409."""

    code = "score_conflict"


def threshold_code(plan: CarePlan, instrument: Instrument) -> str | None:
    return REGION_THRESHOLDS.get((instrument.code, plan.body_region))


def item_keys(plan: CarePlan, instrument: Instrument) -> list[str]:
    """What the patient answers: the instrument's items, or for PSFS the plan's goals."""
    if instrument.patient_named is not None:
        return [str(goal) for goal in plan.goals]
    return [item.id for item in instrument.items]


def answer_errors(plan: CarePlan, instrument: Instrument, answers: Any) -> dict[str, list[str]]:
    """Field errors, one per answer at fault, named `answers.<item>`; empty when all fit."""
    if not isinstance(answers, Mapping):
        return {"answers": [_("Send the answers as an object: each question to its answer.")]}
    keys = item_keys(plan, instrument)
    named = instrument.patient_named is not None
    fields: dict[str, list[str]] = {}
    for key in keys:
        if key not in answers:
            fields[f"answers.{key}"] = [_("Rate this activity.") if named else _("Answer this question.")]
    for key in answers:
        if key not in keys:
            fields[f"answers.{key}"] = [
                _("This activity is not one of your plan's goals.") if named else _("No such question.")
            ]
    item_of = {key: instrument.items[0] for key in keys} if named else {i.id: i for i in instrument.items}
    for key, value in answers.items():
        item = item_of.get(key)
        if item is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not item.low <= value <= item.high:
            message = _("Choose a whole number from %(low)s to %(high)s.") % {"low": item.low, "high": item.high}
            fields[f"answers.{key}"] = [message]
    if named and not keys:
        fields["answers"] = [_("The plan names no activities to rate: ask your practitioner to add your goals.")]
    return fields


def _two(value: float, places: str = "0.01") -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _percent(value: float | None) -> Decimal | None:
    # A percentage of a baseline very near 0 says nothing and would not fit the column.
    return None if value is None or abs(value) >= PERCENT_LIMIT else _two(value, "0.1")


def _checked_appointment(plan: CarePlan, appointment: Appointment | None, timepoint: str, now: datetime) -> None:
    if appointment is None:
        if timepoint == Timepoint.VISIT:
            raise InvalidInput({"appointment": [_("Say which visit of the course this score is for.")]})
        return
    if not CourseVisit.objects.filter(plan=plan, appointment=appointment).exists():
        raise InvalidInput({"appointment": [_("This visit is not part of this course of care.")]})
    if appointment.status not in HAPPENED or appointment.start > now:
        raise InvalidInput({"appointment": [_("Score a visit once it has taken place.")]})


def _baseline(plan: CarePlan, code: str) -> OutcomeScore | None:
    return OutcomeScore.objects.filter(plan=plan, instrument=code, timepoint=Timepoint.BASELINE).first()


def _conflict_on_duplicate(timepoint: str) -> ScoreConflict:
    if timepoint == Timepoint.BASELINE:
        return ScoreConflict(_("This plan already has a baseline for this measure."), code="baseline_exists")
    if timepoint == Timepoint.DISCHARGE:
        return ScoreConflict(_("This plan already has a discharge score for this measure."), code="discharge_exists")
    return ScoreConflict(_("This visit already has a score for this measure."), code="visit_scored")


def record_score(
    plan: CarePlan,
    *,
    instrument: str,
    timepoint: str,
    answers: Any,
    actor: User,
    appointment: Appointment | None = None,
    now: datetime | None = None,
) -> OutcomeScore:
    """The new score for `plan`, answered by (or for) its patient and written by `actor`."""
    now = now or timezone.now()
    if timepoint not in Timepoint.values:
        raise InvalidInput({"timepoint": [_("Choose baseline, visit, check-in or discharge.")]})
    if instrument not in plan.measures:
        raise InvalidInput({"instrument": [_("This plan does not track that outcome measure.")]})
    try:
        rules = instrument_for(plan.clinic, instrument)
    except UnknownInstrument as exc:
        raise InvalidInput({"instrument": [str(exc)]}) from None
    if fields := answer_errors(plan, rules, answers):
        raise InvalidInput(fields)
    with transaction.atomic():
        # The plan's row lock orders two scores for the same plan; the constraints still decide.
        locked = CarePlan.objects.select_for_update().select_related("clinic").get(pk=plan.pk)
        if locked.status not in OPEN_FOR[Timepoint(timepoint)]:
            status = str(PlanStatus(locked.status).label)
            raise ScoreConflict(
                _('The plan is "%(status)s": it takes no %(when)s score now.')
                % {"status": status, "when": str(Timepoint(timepoint).label).lower()},
                code="plan_not_open",
            )
        _checked_appointment(locked, appointment, timepoint, now)
        return _write(locked, rules, Timepoint(timepoint), dict(answers), actor, appointment, now)


def _write(
    plan: CarePlan,
    rules: Instrument,
    timepoint: Timepoint,
    answers: dict[str, int],
    actor: User,
    appointment: Appointment | None,
    now: datetime,
) -> OutcomeScore:
    try:
        current = score(rules, answers)
    except ScoreError as exc:  # answer_errors checked the same rules; this is a backstop
        raise InvalidInput({"answers": [str(exc)]}) from None
    baseline_row = _baseline(plan, rules.code)
    if timepoint == Timepoint.BASELINE:
        if baseline_row is not None:
            raise _conflict_on_duplicate(timepoint)
        baseline = current
    elif baseline_row is None:
        raise ScoreConflict(
            _("Give a baseline score for this measure first: every later score is compared with it."),
            code="no_baseline",
        )
    else:
        # From the raw answers, not the rounded column: a change exactly at a threshold must pass it.
        baseline = score(rules, baseline_row.answers)
    moved = change(rules, baseline, current, threshold=threshold_code(plan, rules))
    try:
        with transaction.atomic():
            return OutcomeScore.objects.create(
                plan=plan,
                instrument=rules.code,
                timepoint=timepoint,
                appointment=appointment,
                answers=answers,
                score=_two(current),
                baseline=_two(baseline),
                change=_two(moved.improvement),
                change_percent=_percent(moved.improvement_percent),
                meaningful=timepoint != Timepoint.BASELINE and moved.meaningful,
                threshold=moved.threshold.code,
                threshold_source=moved.threshold.source,
                answered_by=actor,
                answered_at=now,
            )
    except IntegrityError:
        raise _conflict_on_duplicate(timepoint) from None
