"""The send-time re-check of a course message (notifications/course.py writes them).

A row may have waited (quiet hours, a worker outage): what was true when it was written is asked
again. Book next: the plan still active and still with sessions to book after a visit that has
happened. Exercise reminder: the plan still active, the reminder still on, its day not over, and
some exercise of that day not ticked yet."""

from __future__ import annotations

from datetime import datetime

from care.models import CarePlan, ExerciseReminder
from care.models.plans import PlanStatus
from care.selectors import course_messages
from notifications import planner
from notifications.kinds import Channel, Kind
from notifications.models import ClinicNotificationSettings, Notification
from notifications.selectors import plan_zone
from notifications.verdicts import Verdict

Status = Notification.Status


def recheck(row: Notification, config: ClinicNotificationSettings, now: datetime) -> Verdict | None:
    """Why this course row must not be sent now, or None to send it."""
    plan = row.plan
    if plan is None or row.kind not in (Kind.BOOK_NEXT, Kind.EXERCISE_REMINDER):
        return Verdict(Status.SKIPPED, "not a course message about a plan")
    if not plan.patient.user.is_active:
        return Verdict(Status.SKIPPED, "the patient's account is closed")
    if plan.status != PlanStatus.ACTIVE:
        return Verdict(Status.SKIPPED, f"the plan is {plan.status}")
    verdict = _book_next(plan, now) if row.kind == Kind.BOOK_NEXT else _exercise_reminder(row, plan, now)
    if verdict is not None:
        return verdict
    return _text_message(row, plan, config, now) if row.channel == Channel.SMS else None


def _book_next(plan: CarePlan, now: datetime) -> Verdict | None:
    if course_messages.book_next_visit(plan, now) is None:
        return Verdict(Status.SKIPPED, "the next sessions are booked")
    return None


def _exercise_reminder(row: Notification, plan: CarePlan, now: datetime) -> Verdict | None:
    day = row.for_day
    reminder = ExerciseReminder.objects.filter(plan=plan).first()
    if reminder is None or not reminder.active:
        return Verdict(Status.SKIPPED, "the patient stopped the reminder")
    if day is None or now.astimezone(plan.clinic.zone).date() > day:
        return Verdict(Status.SKIPPED, "its day is over")
    if not course_messages.exercises_on(plan, day).exists():
        return Verdict(Status.SKIPPED, "no exercise is prescribed that day")
    if course_messages.all_done_on(plan, day):
        return Verdict(Status.SKIPPED, "all of the day's exercises are done")
    return None


def _text_message(
    row: Notification, plan: CarePlan, config: ClinicNotificationSettings, now: datetime
) -> Verdict | None:
    patient = plan.patient
    if not (patient.notify_sms and patient.phone):
        return Verdict(Status.SKIPPED, "the patient turned text messages off")
    allowed = planner.next_allowed_time(now, plan_zone(plan), config.quiet_start, config.quiet_end)
    if row.for_day is not None and allowed.astimezone(plan.clinic.zone).date() > row.for_day:
        return Verdict(Status.SKIPPED, "quiet hours last until its day is over")
    if allowed > now:
        return Verdict(Status.PENDING, "quiet hours", wait_until=allowed)
    return None
