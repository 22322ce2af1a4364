"""What the course messages (notifications: book your next session, the daily exercise reminder)
read about a plan. Here in care, below notifications, so the outbox asks and care never imports it.

A session "counts" as care.selectors.series says: while its appointment is held (hold not run
out), waiting for review, confirmed or completed. A cancelled, declined or missed (no-show) visit
does not: that session still has to be booked. Both the page's prompt and the message count
through care.selectors.series, so they always agree."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet

from booking.models import Appointment
from care.models import CarePlan, CourseVisit, ExerciseLog, PlanExercise
from care.models.plans import PlanStatus
from care.selectors import series

Visit = Appointment.Status
COUNTED = (*Appointment.LIVE, Visit.COMPLETED)


def counted_visits(plan: CarePlan, now: datetime | None = None) -> QuerySet[CourseVisit]:
    """The plan's course visits that use up a session, latest start first."""
    return series.booked_visits(plan, now).order_by("-appointment__start", "-pk")


def unbooked_after_last(plan: CarePlan, now: datetime | None = None) -> int:
    """Sessions of the plan not booked yet (never below 0)."""
    return series.unbooked_after_last(plan, now)


def has_happened(appointment: Appointment, now: datetime) -> bool:
    """Completed, or confirmed and over (a practitioner may mark it completed later)."""
    if appointment.status == Visit.COMPLETED:
        return True
    return appointment.status == Visit.CONFIRMED and appointment.end <= now


def book_next_visit(plan: CarePlan, now: datetime) -> Appointment | None:
    """The last booked visit, when the patient should now book the next one: the plan is active,
    it has sessions left to book, and its last counted visit has happened. Otherwise None (also
    for a plan with no visit booked yet: the series booking page is where it starts)."""
    if plan.status != PlanStatus.ACTIVE:
        return None
    visits = list(counted_visits(plan, now))
    if not visits or len(visits) >= plan.sessions_planned:
        return None
    last = visits[0].appointment
    return last if has_happened(last, now) else None


def plans_with_sessions_to_book() -> QuerySet[CarePlan]:
    """Active plans with at least one counted visit and fewer than planned, in one query: the
    ones the safety-net sweep then asks book_next_visit about."""
    counted = Count("visits", filter=Q(visits__appointment__status__in=COUNTED))
    return (
        CarePlan.objects.filter(status=PlanStatus.ACTIVE)
        .annotate(counted=counted)
        .filter(counted__gt=0, counted__lt=F("sessions_planned"))
    )


def prescribed_on(day: date) -> Q:
    """PlanExercise rows prescribed on `day` (stopped_on is the last day, as in care.adherence)."""
    return Q(start_on__lte=day) & (Q(stopped_on__isnull=True) | Q(stopped_on__gte=day))


def exercises_on(plan: CarePlan | int, day: date) -> QuerySet[PlanExercise]:
    return (
        PlanExercise.objects.filter(prescribed_on(day), plan=plan).select_related("exercise").order_by("position", "pk")
    )


def plans_with_exercises_on(plan_ids: list[int], day: date) -> set[int]:
    """Which of `plan_ids` prescribe any exercise on `day`, in one query."""
    rows = PlanExercise.objects.filter(prescribed_on(day), plan_id__in=plan_ids)
    return set(rows.values_list("plan_id", flat=True).distinct())


def all_done_on(plan: CarePlan | int, day: date) -> bool:
    """Every exercise prescribed on `day` is ticked for that day (False when none is prescribed)."""
    prescribed = set(PlanExercise.objects.filter(prescribed_on(day), plan=plan).values_list("pk", flat=True))
    if not prescribed:
        return False
    done = set(
        ExerciseLog.objects.filter(prescription_id__in=prescribed, day=day).values_list("prescription_id", flat=True)
    )
    return prescribed <= done
