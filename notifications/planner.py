"""What is due when: pure functions of plain facts, no database.

Offsets are elapsed time ("24 hours before" is 24 real hours, also across a DST
change); only the SMS quiet hours are local wall-clock rules in the patient's zone.
A reminder whose time has already passed when the plan is made is left out: the
confirmation the patient has just received says the same. Pre-visit information is
different: it is how to prepare, so it goes at once when booked late."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.signals import Change
from notifications.kinds import Channel, Kind

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Offsets:
    pre_visit: timedelta = timedelta(hours=48)
    reminder_email: timedelta = timedelta(hours=24)
    reminder_sms: timedelta = timedelta(hours=2)
    aftercare: timedelta = timedelta(minutes=60)
    checkin: timedelta = timedelta(hours=48)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)


@dataclass(frozen=True)
class Visit:
    """An appointment as the planner sees it. `now` is when the change happened."""

    start: datetime
    end: datetime
    status: str
    version: int
    now: datetime
    zone: ZoneInfo  # the patient's zone (their own, or the clinic's)
    email_reminders: bool = True
    sms_reminders: bool = False
    # Kinds already sent for an earlier version: pre-visit information is not repeated.
    sent_before: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # In UTC: adding hours to a ZoneInfo datetime is wall-clock arithmetic, an hour
        # off across a DST change.
        for name in ("start", "end", "now"):
            object.__setattr__(self, name, getattr(self, name).astimezone(UTC))


@dataclass(frozen=True, order=True)
class PlannedMessage:
    due_at: datetime
    kind: str
    channel: str = Channel.EMAIL


def plan(change: Change, visit: Visit, offsets: Offsets) -> list[PlannedMessage]:
    """The messages to add because of `change` (cancelling old rows is the caller's job)."""
    now = visit.now
    if change == Change.CONFIRMED:
        return visit_plan(visit, offsets)
    if change == Change.APPROVED:
        return sorted([*visit_plan(visit, offsets), PlannedMessage(now, Kind.REVIEW_OUTCOME)])
    if change == Change.RESCHEDULED:
        # The reschedule notice carries the new calendar file: no second confirmation.
        rest = [m for m in visit_plan(visit, offsets) if m.kind != Kind.CONFIRMATION]
        return sorted([PlannedMessage(now, Kind.RESCHEDULE), *rest])
    if change == Change.DECLINED:
        return [PlannedMessage(now, Kind.REVIEW_OUTCOME)]
    if change == Change.CANCELLED:
        return [PlannedMessage(now, Kind.CANCELLATION)]
    if change == Change.RED_FLAG:
        return [PlannedMessage(now, Kind.PRACTITIONER_ALERT)]
    return []  # SENT_FOR_REVIEW (the page says so), COMPLETED, NO_SHOW


def visit_plan(visit: Visit, offsets: Offsets) -> list[PlannedMessage]:
    """Everything a confirmed visit gets, from confirmation to check-in."""
    if visit.status != CONFIRMED:
        return []
    now = visit.now
    out = [PlannedMessage(now, Kind.CONFIRMATION)]
    if Kind.PRE_VISIT not in visit.sent_before and now < visit.start:
        out.append(PlannedMessage(max(now, visit.start - offsets.pre_visit), Kind.PRE_VISIT))
    email_at = visit.start - offsets.reminder_email
    if visit.email_reminders and now < email_at:
        out.append(PlannedMessage(email_at, Kind.REMINDER))
    if visit.sms_reminders:
        sms_at = next_allowed_time(
            visit.start - offsets.reminder_sms, visit.zone, offsets.quiet_start, offsets.quiet_end
        )
        if now < sms_at < visit.start:
            out.append(PlannedMessage(sms_at, Kind.REMINDER, Channel.SMS))
    out.append(PlannedMessage(max(now, visit.end + offsets.aftercare), Kind.AFTERCARE))
    out.append(PlannedMessage(max(now, visit.end + offsets.checkin), Kind.CHECKIN))
    return sorted(out)


# --- Quiet hours ------------------------------------------------------------------------


def is_quiet(local: time, quiet_start: time, quiet_end: time) -> bool:
    if quiet_start == quiet_end:
        return False  # no quiet hours
    if quiet_start < quiet_end:
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end  # the window crosses midnight


def next_allowed_time(due: datetime, zone: ZoneInfo, quiet_start: time, quiet_end: time) -> datetime:
    """`due` itself if it falls outside the quiet hours in `zone`, else the end of them (in UTC)."""
    local = due.astimezone(zone)
    wall = local.replace(tzinfo=None).time()
    if not is_quiet(wall, quiet_start, quiet_end):
        return due.astimezone(UTC)
    day = local.date()
    if quiet_start > quiet_end and wall >= quiet_start:
        day += timedelta(days=1)  # the evening part: quiet until tomorrow morning
    return first_instant_at(day, quiet_end, zone)


def first_instant_at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The first instant the clocks in `zone` show `wall` (or later) on `day`, in UTC.

    A time repeated when the clocks go back gives its first occurrence; a time
    skipped when they go forward gives the moment of the jump."""
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # In a gap: fold=0 reads it with the old offset (after the jump), fold=1 with
    # the new one (before it). The jump lies between; find it to the second.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = min(low, first), max(low, first)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)  # zone transitions fall on whole seconds
