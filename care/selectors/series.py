"""Reads for series booking: which sessions of a course are booked, and how many are left.

A session counts as booked while its visit is held (hold not run out), waiting for review,
confirmed or completed. A cancelled, declined or no-show visit, or a hold that ran out, frees
its session to be booked again."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from booking import selectors as booking_selectors
from booking.models import Appointment
from care.models import CarePlan, CourseVisit


def booked_visits(plan: CarePlan, now: datetime | None = None) -> QuerySet[CourseVisit]:
    now = now or timezone.now()
    kept = booking_selectors.live_appointments(now) | Q(status=Appointment.Status.COMPLETED)
    live = Appointment.objects.filter(kept).values("pk")
    return (
        CourseVisit.objects.filter(plan=plan, appointment__in=live)
        .select_related("appointment")
        .order_by("appointment__start", "number")
    )


def unbooked_after_last(plan: CarePlan, now: datetime | None = None) -> int:
    """How many of the plan's sessions are not booked yet (they come after its last booked
    visit): the course page's prompt and the "book your next session" message use it."""
    return max(0, plan.sessions_planned - booked_visits(plan, now).count())


def free_numbers(plan: CarePlan, booked: list[CourseVisit]) -> list[int]:
    """The session numbers (1..sessions_planned) no booked visit has, ascending."""
    taken = {visit.number for visit in booked}
    return [n for n in range(1, plan.sessions_planned + 1) if n not in taken]
