"""Outbox rows about a course of care: "book your next session" and the daily exercise reminder.

Both only write rows; notifications/dispatch.py sends them and checks again at send time.

- Book next: once per plan and channel (a database constraint), when the plan is active, has
  sessions left to book and its last booked visit has happened (care.selectors.course_messages).
  Written when a course visit is completed (receivers.py) and by a beat sweep, which catches a
  visit that simply ended, or a later visit cancelled after the last one happened.
- Exercise reminder: one per plan, channel and local day (a database constraint), at the
  reminder's wall-clock time in the clinic's zone on that day (planner.first_instant_at, so a DST
  day keeps the time). The beat job writes a row shortly before its time; a reminder set after
  today's time has passed by more than GRACE waits for tomorrow rather than arriving late.

Channels: email always (the patient asked for the course and the reminder), a text message too
when the patient has text messages on. A text message falling in the quiet hours is due at their
end; an exercise reminder whose quiet hours last past its day is not written (a reminder for
yesterday is noise)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Patient
from care.models import CarePlan, ExerciseReminder
from care.models.plans import PlanStatus
from care.selectors import course_messages
from notifications import planner
from notifications.kinds import Channel, Kind
from notifications.models import ClinicNotificationSettings, Notification
from notifications.selectors import plan_zone, settings_for

# The exercise reminder job runs every few minutes: a row is written up to LEAD before its time
# (so it is due exactly then), and up to GRACE after it (beat or the workers were down a while).
LEAD = timedelta(minutes=10)
GRACE = timedelta(hours=2)


def channels_of(patient: Patient) -> list[str]:
    out: list[str] = [Channel.EMAIL] if patient.user.email else []
    if patient.notify_sms and patient.phone:
        out.append(Channel.SMS)
    return out


def _sms_time(due: datetime, plan: CarePlan, config: ClinicNotificationSettings) -> datetime:
    return planner.next_allowed_time(due, plan_zone(plan), config.quiet_start, config.quiet_end)


def record_book_next(plan: CarePlan, *, now: datetime | None = None) -> int:
    """Write the plan's "book your next session" rows if it is time; returns rows written.

    Safe to call any number of times: one row per plan and channel, ever."""
    now = now or timezone.now()
    last = course_messages.book_next_visit(plan, now)
    if last is None:
        return 0
    config = settings_for(plan.clinic_id)
    told = set(Notification.objects.filter(plan=plan, kind=Kind.BOOK_NEXT).values_list("channel", flat=True))
    rows = []
    for channel in channels_of(plan.patient):
        if channel in told:
            continue
        due = _sms_time(now, plan, config) if channel == Channel.SMS else now
        rows.append(
            Notification(
                plan=plan,
                appointment=last,
                appointment_version=last.version,
                kind=Kind.BOOK_NEXT,
                channel=channel,
                due_at=due,
                next_attempt_at=due,
                created_at=now,
            )
        )
    # The constraint settles a race with another writer: the second row is simply not written.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def sweep_book_next(*, now: datetime | None = None) -> int:
    """The beat job's safety net: every active plan with sessions to book and no book-next row yet."""
    now = now or timezone.now()
    told = Notification.objects.filter(kind=Kind.BOOK_NEXT).values("plan_id")
    plans = course_messages.plans_with_sessions_to_book().exclude(pk__in=told).select_related("patient__user", "clinic")
    return sum(record_book_next(plan, now=now) for plan in plans)


def _reminders() -> QuerySet[ExerciseReminder]:
    return ExerciseReminder.objects.filter(active=True, plan__status=PlanStatus.ACTIVE).select_related(
        "plan__patient__user", "plan__clinic"
    )


def write_exercise_reminders(*, now: datetime | None = None) -> int:
    """Beat job: today's reminder rows whose time is near (see LEAD and GRACE); returns rows written."""
    now = now or timezone.now()
    due_now: list[tuple[ExerciseReminder, datetime]] = []
    for reminder in _reminders():
        zone = reminder.plan.clinic.zone
        today = now.astimezone(zone).date()
        due = planner.first_instant_at(today, reminder.at, zone)
        if due - LEAD <= now < due + GRACE:
            due_now.append((reminder, due))
    if not due_now:
        return 0
    days = {reminder.plan_id: due.astimezone(reminder.plan.clinic.zone).date() for reminder, due in due_now}
    prescribing = {
        plan_id
        for day in set(days.values())
        for plan_id in course_messages.plans_with_exercises_on([p for p, d in days.items() if d == day], day)
    }
    written = set(
        Notification.objects.filter(
            kind=Kind.EXERCISE_REMINDER, plan_id__in=list(days), for_day__in=set(days.values())
        ).values_list("plan_id", "channel", "for_day")
    )
    rows = []
    for reminder, due in due_now:
        plan = reminder.plan
        if plan.pk not in prescribing:
            continue
        new = _reminder_rows(plan, due, days[plan.pk], now)
        rows += [row for row in new if (plan.pk, row.channel, row.for_day) not in written]
    # The constraint settles a race with another run: a second row is simply not written.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _reminder_rows(plan: CarePlan, due: datetime, day: date, now: datetime) -> list[Notification]:
    config = settings_for(plan.clinic_id)
    zone = plan.clinic.zone
    rows = []
    for channel in channels_of(plan.patient):
        at = due
        if channel == Channel.SMS:
            at = _sms_time(due, plan, config)
            if at.astimezone(zone).date() != day:
                continue  # quiet until the day is over
        rows.append(
            Notification(
                plan=plan,
                for_day=day,
                kind=Kind.EXERCISE_REMINDER,
                channel=channel,
                due_at=at,
                next_attempt_at=at,
                created_at=now,
            )
        )
    return rows
