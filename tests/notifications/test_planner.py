"""The planner, with plain data: what each change puts in the outbox, and when."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.signals import Change
from notifications.kinds import Channel, Kind
from notifications.planner import Offsets, PlannedMessage, Visit, plan, visit_plan

LONDON = ZoneInfo("Europe/London")
OFFSETS = Offsets()
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 BST
START = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)  # Tuesday 10:00 BST: 25 hours ahead
END = START + timedelta(hours=1)
EMAIL, SMS = Channel.EMAIL, Channel.SMS


def h(n: float) -> timedelta:
    return timedelta(hours=n)


def visit(**changes: object) -> Visit:
    base = Visit(start=START, end=END, status="confirmed", version=1, now=NOW, zone=LONDON)
    return replace(base, **changes)  # type: ignore[arg-type]


def planned(messages: list[PlannedMessage]) -> list[tuple[str, str, datetime]]:
    return [(m.kind, m.channel, m.due_at) for m in messages]


def test_a_confirmed_visit_gets_every_message_in_order() -> None:
    week_ahead = NOW + timedelta(days=7, hours=3)  # Monday 8 June, 12:00 BST

    messages = visit_plan(visit(start=week_ahead, end=week_ahead + h(1), sms_reminders=True), OFFSETS)

    assert planned(messages) == [
        (Kind.CONFIRMATION, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, week_ahead - h(48)),
        (Kind.REMINDER, EMAIL, week_ahead - h(24)),
        (Kind.REMINDER, SMS, week_ahead - h(2)),
        (Kind.AFTERCARE, EMAIL, week_ahead + h(2)),
        (Kind.CHECKIN, EMAIL, week_ahead + h(49)),
    ]


def test_booked_later_than_48_hours_ahead_the_pre_visit_information_goes_at_once() -> None:
    messages = visit_plan(visit(), OFFSETS)

    assert planned(messages) == [
        (Kind.CONFIRMATION, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, NOW),
        (Kind.REMINDER, EMAIL, START - h(24)),
        (Kind.AFTERCARE, EMAIL, END + h(1)),
        (Kind.CHECKIN, EMAIL, END + h(48)),
    ]


def test_booked_one_hour_ahead_there_are_no_reminders() -> None:
    start = NOW + h(1)

    messages = visit_plan(visit(start=start, end=start + h(1), sms_reminders=True), OFFSETS)

    assert planned(messages) == [
        (Kind.CONFIRMATION, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, NOW),
        (Kind.AFTERCARE, EMAIL, start + h(2)),
        (Kind.CHECKIN, EMAIL, start + h(49)),
    ]


def test_a_patient_who_turned_email_reminders_off_still_gets_the_rest() -> None:
    kinds = [m.kind for m in visit_plan(visit(email_reminders=False), OFFSETS)]

    assert kinds == [Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.AFTERCARE, Kind.CHECKIN]


@pytest.mark.parametrize(
    ("local_start", "sms_local"),
    [
        pytest.param(time(12, 0), time(10, 0), id="daytime: 2 hours before"),
        pytest.param(time(9, 0), time(8, 0), id="07:00 is quiet: moved to 08:00"),
        pytest.param(time(8, 30), time(8, 0), id="06:30 is quiet: moved to 08:00, still before"),
        pytest.param(time(22, 30), time(20, 30), id="20:30 is before quiet hours"),
        pytest.param(time(7, 45), None, id="quiet until after the visit: no text"),
    ],
)
def test_the_text_reminder_respects_quiet_hours(local_start: time, sms_local: time | None) -> None:
    start = datetime.combine(datetime(2026, 6, 4).date(), local_start, LONDON).astimezone(UTC)

    messages = visit_plan(visit(start=start, end=start + h(1), sms_reminders=True), OFFSETS)

    texts = [m.due_at.astimezone(LONDON).time() for m in messages if m.channel == SMS]
    assert texts == ([sms_local] if sms_local else [])


def test_offsets_are_the_clinics() -> None:
    start = NOW + timedelta(days=10, hours=4)  # 13:00 BST
    offsets = Offsets(pre_visit=h(72), reminder_email=h(12), reminder_sms=h(3), aftercare=h(0.5), checkin=h(24))

    messages = visit_plan(visit(start=start, end=start + h(1), sms_reminders=True), offsets)

    assert [m.due_at - start for m in messages] == [NOW - start, -h(72), -h(12), -h(3), h(1.5), h(25)]


def test_only_a_confirmed_visit_is_planned() -> None:
    for status in ("held", "pending_review", "declined", "cancelled", "no_show", "completed"):
        assert visit_plan(visit(status=status), OFFSETS) == [], status


# --- Changes ------------------------------------------------------------------------------


def test_approval_adds_the_review_outcome_to_the_plan() -> None:
    messages = plan(Change.APPROVED, visit(), OFFSETS)

    assert (Kind.REVIEW_OUTCOME, EMAIL, NOW) in planned(messages)
    assert (Kind.CONFIRMATION, EMAIL, NOW) in planned(messages)


@pytest.mark.parametrize(
    ("change", "status", "kind"),
    [
        (Change.DECLINED, "declined", Kind.REVIEW_OUTCOME),
        (Change.CANCELLED, "cancelled", Kind.CANCELLATION),
        (Change.RED_FLAG, "completed", Kind.PRACTITIONER_ALERT),
    ],
)
def test_notices_go_at_once(change: Change, status: str, kind: str) -> None:
    assert planned(plan(change, visit(status=status), OFFSETS)) == [(kind, EMAIL, NOW)]


@pytest.mark.parametrize(
    ("change", "status"),
    [(Change.SENT_FOR_REVIEW, "pending_review"), (Change.COMPLETED, "completed"), (Change.NO_SHOW, "no_show")],
)
def test_some_changes_add_nothing(change: Change, status: str) -> None:
    assert plan(change, visit(status=status), OFFSETS) == []


def test_a_reschedule_sends_a_notice_instead_of_a_second_confirmation() -> None:
    start = NOW + timedelta(days=5)

    messages = plan(Change.RESCHEDULED, visit(start=start, end=start + h(1), version=2), OFFSETS)

    assert planned(messages) == [
        (Kind.RESCHEDULE, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, start - h(48)),
        (Kind.REMINDER, EMAIL, start - h(24)),
        (Kind.AFTERCARE, EMAIL, start + h(2)),
        (Kind.CHECKIN, EMAIL, start + h(49)),
    ]


def test_a_reschedule_does_not_repeat_pre_visit_information_already_sent() -> None:
    again = visit(version=3, sent_before=frozenset({Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.RESCHEDULE}))

    kinds = [m.kind for m in plan(Change.RESCHEDULED, again, OFFSETS)]

    assert kinds == [Kind.RESCHEDULE, Kind.REMINDER, Kind.AFTERCARE, Kind.CHECKIN]


# --- A DST change between booking and visit ---------------------------------------------------


def test_offsets_are_elapsed_hours_across_the_clocks_going_forward() -> None:
    # Booked on Friday 27 March 2026 (GMT) for Monday 30 March 09:00 BST; the clocks
    # go forward on Sunday 29 March at 01:00 UTC.
    booked = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    start = datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)
    end = start + h(1)

    messages = visit_plan(visit(start=start, end=end, now=booked, sms_reminders=True), OFFSETS)

    due = {(m.kind, m.channel): m.due_at for m in messages}
    assert start - due[(Kind.PRE_VISIT, EMAIL)] == h(48)
    assert due[(Kind.PRE_VISIT, EMAIL)].astimezone(LONDON).time() == time(8, 0), "48 real hours: 08:00 GMT"
    assert start - due[(Kind.REMINDER, EMAIL)] == h(24)
    # 2 hours before is 07:00 BST, inside quiet hours: the text waits for 08:00 BST, not 08:00 GMT.
    assert due[(Kind.REMINDER, SMS)] == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert due[(Kind.CHECKIN, EMAIL)] - end == h(48)
