"""Reads of outcome scores: a plan's scores, and which measures its patient should answer now.

What is due (kept simple on purpose; docs/instruments.md says the same):
- a baseline for each measure the plan tracks that has none, while the plan is proposed or active;
- once the baseline is in and the plan is active, a visit score for each course visit that took
  place today or in the 3 days before (in the clinic's time zone) and has no score for it yet;
- a discharge score when the plan is completed and has none. A practitioner who wants one
  earlier records it in clinic (staff API), as with any score the patient gives there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from booking.models import Appointment
from care.instruments import Instrument, InstrumentError
from care.models import CarePlan, CourseVisit, OutcomeScore, PlanStatus, Timepoint
from care.selectors.instruments import UnknownInstrument, instrument_for

VISIT_DAYS = 3  # a visit score is asked for on the visit's day and up to this many days after
HAPPENED = (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED)


@dataclass(frozen=True)
class Due:
    instrument: Instrument
    timepoint: Timepoint
    appointment: Appointment | None = None


def plan_scores(plan: CarePlan) -> QuerySet[OutcomeScore]:
    return OutcomeScore.objects.filter(plan=plan).select_related("appointment", "answered_by")


def plan_instruments(plan: CarePlan) -> list[Instrument]:
    """The instruments the plan tracks, in its order; one the clinic no longer has is left out."""
    found = []
    for code in plan.measures:
        try:
            found.append(instrument_for(plan.clinic, code))
        except (UnknownInstrument, InstrumentError):
            continue
    return found


def due_measures(plan: CarePlan, now: datetime) -> list[Due]:
    """What the patient should answer now, baselines first, then visits oldest first, then discharge."""
    instruments = plan_instruments(plan)
    scored = list(OutcomeScore.objects.filter(plan=plan).values_list("instrument", "timepoint", "appointment_id"))
    with_baseline = {code for code, timepoint, _ in scored if timepoint == Timepoint.BASELINE}
    due: list[Due] = []
    if plan.status in (PlanStatus.PROPOSED, PlanStatus.ACTIVE):
        due += [Due(i, Timepoint.BASELINE) for i in instruments if i.code not in with_baseline]
    if plan.status == PlanStatus.ACTIVE:
        zone = plan.clinic.zone
        today = now.astimezone(zone).date()
        visits = (
            CourseVisit.objects.filter(
                plan=plan,
                appointment__status__in=HAPPENED,
                appointment__start__lte=now,
                appointment__start__gte=now - timedelta(days=VISIT_DAYS + 2),
            )
            .select_related("appointment")
            .order_by("appointment__start")
        )
        for visit in visits:
            appointment = visit.appointment
            if (today - appointment.start.astimezone(zone).date()).days > VISIT_DAYS:
                continue
            done = {code for code, _, appointment_id in scored if appointment_id == appointment.pk}
            due += [
                Due(i, Timepoint.VISIT, appointment)
                for i in instruments
                if i.code in with_baseline and i.code not in done
            ]
    if plan.status == PlanStatus.COMPLETED:
        discharged = {code for code, timepoint, _ in scored if timepoint == Timepoint.DISCHARGE}
        due += [
            Due(i, Timepoint.DISCHARGE) for i in instruments if i.code in with_baseline and i.code not in discharged
        ]
    return due
