from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from booking.availability import (
    Interval,
    Policy,
    ServiceSpec,
    Slot,
    WorkingWindow,
    free_slots,
    occupancy,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
MONDAY = date(2026, 6, 1)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
OPEN_POLICY = Policy(min_notice=timedelta(0), max_advance=timedelta(days=365))
HOUR_SESSION = ServiceSpec(timedelta(hours=1))


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def at(hh_mm: str, day: date = MONDAY, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm), zone)


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def window(start: str, end: str, weekday: int = 0) -> WorkingWindow:
    return WorkingWindow(weekday, time.fromisoformat(start), time.fromisoformat(end))


def every_day(start: str, end: str) -> list[WorkingWindow]:
    return [window(start, end, weekday) for weekday in range(7)]


def find(
    working_hours: Sequence[WorkingWindow],
    *,
    time_off: Sequence[Interval] = (),
    busy: Sequence[Interval] = (),
    service: ServiceSpec = HOUR_SESSION,
    policy: Policy = OPEN_POLICY,
    now: datetime = LONG_AGO,
    zone: ZoneInfo = BERLIN,
    day: date = MONDAY,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Slot]:
    return free_slots(
        working_hours=working_hours,
        time_off=time_off,
        busy=busy,
        service=service,
        policy=policy,
        now=now,
        zone=zone,
        start=start or datetime.combine(day, time(), zone),
        end=end or datetime.combine(day + timedelta(days=1), time(), zone),
    )


def local_starts(slots: Sequence[Slot], zone: ZoneInfo = BERLIN) -> list[str]:
    return [s.start.astimezone(zone).strftime("%H:%M") for s in slots]


def test_it_offers_every_step_that_fits_in_the_window() -> None:
    slots = find([window("09:00", "11:00")], service=ServiceSpec(minutes(30)))
    assert local_starts(slots) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
        "10:15",
        "10:30",
    ]


def test_it_anchors_the_grid_at_the_window_start_not_at_midnight() -> None:
    slots = find([window("09:10", "10:30")], service=ServiceSpec(minutes(30)))
    assert local_starts(slots) == ["09:10", "09:25", "09:40", "09:55"]


def test_it_uses_the_policy_step() -> None:
    slots = find(
        [window("09:00", "12:00")],
        policy=Policy(timedelta(0), timedelta(days=365), minutes(45)),
    )
    assert local_starts(slots) == ["09:00", "09:45", "10:30"]


def test_it_skips_the_lunch_break() -> None:
    slots = find([window("09:00", "12:00"), window("13:00", "15:00")])
    assert [t for t in local_starts(slots) if "10:45" <= t <= "13:15"] == [
        "10:45",
        "11:00",
        "13:00",
        "13:15",
    ]


def test_it_only_uses_windows_on_their_weekday() -> None:
    slots = find(
        [window("09:00", "10:00", weekday=2)],
        end=at("00:00", MONDAY + timedelta(days=7)),
    )
    assert [s.start.astimezone(BERLIN).date() for s in slots] == [date(2026, 6, 3)]


def test_it_returns_utc_slots_of_the_service_duration() -> None:
    slots = find([window("09:00", "10:00")])
    assert slots == [Slot(utc("2026-06-01T07:00"), utc("2026-06-01T08:00"))]
    assert slots[0].start.tzinfo is UTC


def test_it_skips_time_off() -> None:
    slots = find([window("09:00", "12:00")], time_off=[Interval(at("09:30"), at("10:30"))])
    assert local_starts(slots) == ["10:30", "10:45", "11:00"]


def test_it_skips_slots_overlapping_other_appointments() -> None:
    slots = find([window("09:00", "11:00")], busy=[Interval(at("09:45"), at("10:00"))])
    assert local_starts(slots) == ["10:00"]


def test_it_allows_slots_touching_busy_and_time_off_intervals() -> None:
    slots = find(
        [window("08:00", "12:00")],
        time_off=[Interval(at("08:00"), at("09:00"))],
        busy=[Interval(at("10:00"), at("12:00"))],
    )
    assert local_starts(slots) == ["09:00"]


def test_buffer_before_keeps_distance_from_an_earlier_appointment() -> None:
    service = ServiceSpec(minutes(30), buffer_before=minutes(15))
    slots = find(
        [window("09:00", "11:00")],
        busy=[Interval(at("09:00"), at("09:30"))],
        service=service,
    )
    assert local_starts(slots)[0] == "09:45"


def test_buffer_after_keeps_distance_from_a_later_appointment() -> None:
    service = ServiceSpec(minutes(30), buffer_after=minutes(15))
    slots = find(
        [window("09:00", "11:00")],
        busy=[Interval(at("10:00"), at("10:30"))],
        service=service,
    )
    assert local_starts(slots) == ["09:00", "09:15", "10:30"]


def test_buffers_may_lie_outside_the_working_window() -> None:
    service = ServiceSpec(minutes(60), buffer_before=minutes(15), buffer_after=minutes(15))
    assert local_starts(find([window("09:00", "10:00")], service=service)) == ["09:00"]


def test_it_respects_the_minimum_notice() -> None:
    policy = Policy(min_notice=timedelta(hours=2), max_advance=timedelta(days=60))
    slots = find([window("09:00", "13:00")], policy=policy, now=at("08:45"))
    assert local_starts(slots)[0] == "10:45"


def test_it_respects_the_maximum_advance() -> None:
    policy = Policy(min_notice=timedelta(0), max_advance=timedelta(days=1, minutes=30))
    slots = find(
        [window("09:00", "11:00")],
        policy=policy,
        now=at("09:00", MONDAY - timedelta(days=1)),
    )
    assert local_starts(slots) == ["09:00", "09:15", "09:30"]


def test_it_only_returns_starts_inside_the_requested_range() -> None:
    slots = find([window("09:00", "12:00")], start=at("09:30"), end=at("10:00"))
    assert local_starts(slots) == ["09:30", "09:45"]


def test_it_returns_sorted_slots_without_duplicates_for_overlapping_windows() -> None:
    slots = find(
        [window("10:00", "12:00"), window("09:00", "11:30")],
        service=ServiceSpec(minutes(60)),
    )
    starts = [s.start for s in slots]
    assert starts == sorted(set(starts))
    assert local_starts(slots) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
        "10:15",
        "10:30",
        "10:45",
        "11:00",
    ]


@pytest.mark.parametrize("field", ["now", "start", "end"])
def test_it_rejects_naive_datetimes(field: str) -> None:
    kwargs: dict[str, Any] = {field: datetime(2026, 6, 1, 9, 0)}
    with pytest.raises(ValueError, match="timezone-aware"):
        find([window("09:00", "10:00")], **kwargs)


@pytest.mark.parametrize("field", ["busy", "time_off"])
def test_it_rejects_naive_intervals(field: str) -> None:
    kwargs: dict[str, Any] = {field: [Interval(datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10))]}
    with pytest.raises(ValueError, match="timezone-aware"):
        find([window("09:00", "10:00")], **kwargs)


def test_it_rejects_an_interval_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        find([window("09:00", "10:00")], busy=[Interval(at("09:30"), at("09:00"))])


def test_an_empty_interval_blocks_nothing() -> None:
    slots = find([window("09:00", "10:00")], time_off=[Interval(at("09:30"), at("09:30"))])
    assert local_starts(slots) == ["09:00"]


@pytest.mark.parametrize("end", ["09:00", "08:00"])
def test_it_rejects_an_empty_range(end: str) -> None:
    with pytest.raises(ValueError, match="end must be after start"):
        find([window("09:00", "10:00")], start=at("09:00"), end=at(end))


@pytest.mark.parametrize(
    ("working_hours", "service", "policy"),
    [
        ([window("09:00", "10:00")], HOUR_SESSION, Policy(step=timedelta(0))),
        ([window("09:00", "10:00")], ServiceSpec(timedelta(0)), OPEN_POLICY),
        ([window("09:00", "10:00")], ServiceSpec(minutes(30), buffer_after=minutes(-5)), OPEN_POLICY),
        ([window("10:00", "09:00")], HOUR_SESSION, OPEN_POLICY),
        ([window("09:00", "10:00", weekday=7)], HOUR_SESSION, OPEN_POLICY),
    ],
)
def test_it_rejects_rules_that_make_no_sense(
    working_hours: list[WorkingWindow], service: ServiceSpec, policy: Policy
) -> None:
    with pytest.raises(ValueError):
        find(working_hours, service=service, policy=policy)


def test_occupancy_adds_the_buffers_as_real_time() -> None:
    start = at("03:00", date(2026, 3, 8), NEW_YORK)  # just after the spring-forward gap
    blocked = occupancy(start, start + minutes(30), ServiceSpec(minutes(30), minutes(90), minutes(10)))
    assert blocked == Interval(utc("2026-03-08T05:30"), utc("2026-03-08T07:40"))
    assert blocked.start.astimezone(NEW_YORK).strftime("%H:%M %Z") == "00:30 EST"


def test_occupancy_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        occupancy(datetime(2026, 6, 1, 9), at("10:00"), ServiceSpec(minutes(60)))


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        (NEW_YORK, date(2026, 3, 8), ["01:00 EST", "01:30 EST", "03:00 EDT"]),
        (SYDNEY, date(2026, 10, 4), ["01:00 AEST", "01:30 AEST", "03:00 AEDT"]),
    ],
)
def test_it_offers_no_slot_at_a_time_skipped_by_spring_forward(zone: ZoneInfo, day: date, expected: list[str]) -> None:
    slots = find(
        every_day("01:00", "04:00"),
        zone=zone,
        day=day,
        policy=Policy(timedelta(0), timedelta(days=365), minutes(30)),
    )
    assert [s.start.astimezone(zone).strftime("%H:%M %Z") for s in slots] == expected
    assert all(s.end - s.start == minutes(60) for s in slots)
    # 01:30 standard time plus sixty real minutes is 03:30 summer time on the wall.
    assert slots[1].end.astimezone(zone).strftime("%H:%M") == "03:30"


def test_a_start_in_the_gap_is_skipped_not_shifted_past_it() -> None:
    # Read naively, 02:30 would become 03:30 EDT, which is off this 45-minute grid.
    slots = find(
        every_day("01:00", "04:00"),
        zone=NEW_YORK,
        day=date(2026, 3, 8),
        service=ServiceSpec(minutes(30)),
        policy=Policy(timedelta(0), timedelta(days=365), minutes(45)),
    )
    assert local_starts(slots, NEW_YORK) == ["01:00", "01:45", "03:15"]


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        (
            NEW_YORK,
            date(2026, 11, 1),
            ["01:00 EDT", "01:30 EDT", "02:00 EST", "02:30 EST", "03:00 EST"],
        ),
        (
            SYDNEY,
            date(2026, 4, 5),
            ["01:00 AEDT", "01:30 AEDT", "02:00 AEDT", "02:30 AEDT", "03:00 AEST"],
        ),
    ],
)
def test_it_offers_a_repeated_time_once_on_fall_back(zone: ZoneInfo, day: date, expected: list[str]) -> None:
    slots = find(
        every_day("01:00", "04:00"),
        zone=zone,
        day=day,
        policy=Policy(timedelta(0), timedelta(days=365), minutes(30)),
    )
    assert [s.start.astimezone(zone).strftime("%H:%M %Z") for s in slots] == expected
    assert all(s.end - s.start == minutes(60) for s in slots)
    assert slots[-1].end == datetime.combine(day, time(4), zone).astimezone(UTC)


def test_it_compares_intervals_as_instants_in_the_repeated_hour() -> None:
    # Read as wall-clock values these two would sort the wrong way round.
    day = date(2026, 11, 1)
    first_pass = Interval(at("01:40", day, NEW_YORK), at("01:50", day, NEW_YORK))
    second_pass = Interval(at("01:10", day, NEW_YORK).replace(fold=1), at("01:20", day, NEW_YORK).replace(fold=1))
    slots = find(
        every_day("01:00", "02:30"),
        busy=[second_pass, first_pass],
        zone=NEW_YORK,
        day=day,
        service=ServiceSpec(minutes(15)),
    )
    assert [s.start for s in slots] == [
        utc("2026-11-01T05:00"),
        utc("2026-11-01T05:15"),
        utc("2026-11-01T07:00"),
        utc("2026-11-01T07:15"),
    ]


def test_a_window_ending_in_the_spring_forward_gap_ends_at_its_earlier_reading() -> None:
    # 02:30 never shows on the wall; reading it as 01:30 EST never overbooks.
    slots = find(
        every_day("00:00", "02:30"),
        zone=NEW_YORK,
        day=date(2026, 3, 8),
        service=ServiceSpec(minutes(30)),
    )
    assert local_starts(slots, NEW_YORK)[-1] == "01:00"


@pytest.mark.parametrize(
    ("zone", "first_day", "utc_hours"),
    [
        (NEW_YORK, date(2026, 3, 6), [14, 14, 13, 13]),
        (SYDNEY, date(2026, 4, 3), [22, 22, 23, 23]),
    ],
)
def test_a_nine_oclock_slot_stays_nine_oclock_across_a_dst_change(
    zone: ZoneInfo, first_day: date, utc_hours: list[int]
) -> None:
    start = datetime.combine(first_day, time(), zone).astimezone(UTC)
    end = datetime.combine(first_day + timedelta(days=4), time(), zone).astimezone(UTC)
    slots = find(every_day("09:00", "10:00"), zone=zone, start=start, end=end)
    assert local_starts(slots, zone) == ["09:00"] * 4
    assert [s.start.hour for s in slots] == utc_hours
    assert [s.start.astimezone(zone).date() for s in slots] == [first_day + timedelta(days=n) for n in range(4)]
