from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.availability import (
    Interval,
    Policy,
    ServiceSpec,
    Slot,
    WorkingWindow,
    free_slots,
    occupancy,
    open_starts,
)

# Each zone with the eves of its 2026 transitions, so that ranges regularly cross one.
ZONES = {
    ZoneInfo("UTC"): [],
    ZoneInfo("Asia/Kolkata"): [],
    ZoneInfo("America/New_York"): [date(2026, 3, 7), date(2026, 10, 31)],
    ZoneInfo("Australia/Sydney"): [date(2026, 4, 4), date(2026, 10, 3)],
    # Lord Howe shifts by only 30 minutes, off most grids.
    ZoneInfo("Australia/Lord_Howe"): [date(2026, 4, 4), date(2026, 10, 3)],
}
STEPS = [5, 10, 15, 20, 25, 30, 40, 45, 60]  # some do not divide an hour
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Scenario:
    working_hours: list[WorkingWindow]
    time_off: list[Interval]
    busy: list[Interval]
    service: ServiceSpec
    policy: Policy
    now: datetime
    zone: ZoneInfo
    start: datetime
    end: datetime

    def slots(self) -> list[Slot]:
        return free_slots(
            working_hours=self.working_hours,
            time_off=self.time_off,
            busy=self.busy,
            service=self.service,
            policy=self.policy,
            now=self.now,
            zone=self.zone,
            start=self.start,
            end=self.end,
        )


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


@st.composite
def weekly_rules(draw: st.DrawFn) -> list[WorkingWindow]:
    """One wall-clock span repeated on some weekdays, as clinics usually set them."""
    # Half start in the small hours, where the DST transitions are.
    start = draw(st.integers(0, 3 * 60) | st.integers(0, 23 * 60 + 58))
    end = draw(st.integers(start + 1, 23 * 60 + 59))
    weekdays = draw(st.just(set(range(7))) | st.sets(st.integers(0, 6), min_size=1))
    span = (time(start // 60, start % 60), time(end // 60, end % 60))
    return [WorkingWindow(weekday, *span) for weekday in sorted(weekdays)]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    zone = draw(st.sampled_from(list(ZONES)))
    any_day = st.dates(date(2026, 1, 1), date(2026, 12, 31))
    first_day = draw(st.sampled_from(ZONES[zone]) | any_day if ZONES[zone] else any_day)
    lead = minutes(draw(st.integers(0, 24 * 60)))  # how long before the range `now` is
    start = datetime.combine(first_day, time(), zone).astimezone(UTC)
    end = start + timedelta(days=draw(st.integers(1, 3)), minutes=draw(st.integers(-600, 600)))

    def intervals() -> st.SearchStrategy[list[Interval]]:
        span = int((end - start).total_seconds() // 60)
        one = st.builds(
            lambda offset, length, local: Interval(
                (start + minutes(offset)).astimezone(zone if local else UTC),
                (start + minutes(offset + length)).astimezone(zone if local else UTC),
            ),
            st.integers(-240, span + 240),
            st.integers(1, 240),
            st.booleans(),
        )
        return st.lists(one, max_size=8)

    return Scenario(
        working_hours=[w for rule in draw(st.lists(weekly_rules(), min_size=1, max_size=4)) for w in rule],
        time_off=draw(intervals()),
        busy=draw(intervals()),
        service=ServiceSpec(
            duration=minutes(draw(st.integers(1, 36)) * 5),
            buffer_before=minutes(draw(st.integers(0, 6)) * 5),
            buffer_after=minutes(draw(st.integers(0, 6)) * 5),
        ),
        policy=Policy(
            min_notice=minutes(draw(st.integers(0, 6 * 60))),
            max_advance=lead
            + timedelta(hours=draw(st.sampled_from([0, 12, 36, 60 * 24])))
            + minutes(draw(st.integers(0, 59))),
            step=minutes(draw(st.sampled_from(STEPS))),
        ),
        now=start - lead,
        zone=zone,
        start=start,
        end=end,
    )


def wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def window_end(day: date, window: WorkingWindow, zone: ZoneInfo) -> datetime:
    naive = datetime.combine(day, window.end)
    return min(naive.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1))


def windows_holding(slot: Slot, scenario: Scenario) -> list[WorkingWindow]:
    """Windows on the slot's local date whose wall-clock span holds its start."""
    local = wall(slot.start, scenario.zone)
    return [w for w in scenario.working_hours if w.weekday == local.weekday() and w.start <= local.time() < w.end]


def on_grid(slot: Slot, window: WorkingWindow, scenario: Scenario) -> bool:
    local = wall(slot.start, scenario.zone)
    offset = local - datetime.combine(local.date(), window.start)
    return offset % scenario.policy.step == timedelta(0)


def overlaps(a: Interval, b: Interval) -> bool:
    return a.start < b.end and b.start < a.end


@PROPERTY_SETTINGS
@given(scenarios())
def test_no_slot_occupancy_overlaps_busy_time_or_time_off(scenario: Scenario) -> None:
    for slot in scenario.slots():
        blocked = occupancy(slot.start, slot.end, scenario.service)
        assert not any(overlaps(blocked, i) for i in [*scenario.busy, *scenario.time_off])


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_slot_lies_inside_a_working_window_on_its_local_date(
    scenario: Scenario,
) -> None:
    for slot in scenario.slots():
        day = wall(slot.start, scenario.zone).date()
        assert any(slot.end <= window_end(day, w, scenario.zone) for w in windows_holding(slot, scenario))


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_slot_start_is_on_its_windows_wall_clock_grid(scenario: Scenario) -> None:
    for slot in scenario.slots():
        assert any(on_grid(slot, w, scenario) for w in windows_holding(slot, scenario))
        # A start must be a wall time that exists and, if repeated, its first reading.
        local = wall(slot.start, scenario.zone).replace(tzinfo=scenario.zone, fold=0)
        # Via UTC: == between zones is always False for an ambiguous time (PEP 495).
        assert local.astimezone(UTC) == slot.start


@PROPERTY_SETTINGS
@given(scenarios())
def test_slots_are_sorted_unique_utc_and_last_the_real_duration(
    scenario: Scenario,
) -> None:
    slots = scenario.slots()
    starts = [s.start for s in slots]
    assert starts == sorted(set(starts))
    for slot in slots:
        assert slot.start.tzinfo is UTC and slot.end.tzinfo is UTC
        assert slot.end - slot.start == scenario.service.duration


@PROPERTY_SETTINGS
@given(scenarios())
def test_slots_respect_the_range_notice_and_advance_limits(scenario: Scenario) -> None:
    for slot in scenario.slots():
        assert scenario.start <= slot.start < scenario.end
        assert slot.start >= scenario.now + scenario.policy.min_notice
        assert slot.start <= scenario.now + scenario.policy.max_advance


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_misses_no_slot_that_a_naive_scan_would_offer(scenario: Scenario) -> None:
    offered = {s.start for s in scenario.slots()}
    limits = scenario.policy
    day = wall(scenario.start, scenario.zone).date()
    while day <= wall(scenario.end, scenario.zone).date():
        for w in scenario.working_hours:
            if w.weekday != day.weekday():
                continue
            local = datetime.combine(day, w.start)
            while local < datetime.combine(day, w.end):
                start = local.replace(tzinfo=scenario.zone).astimezone(UTC)
                slot = Slot(start, start + scenario.service.duration)
                blocked = occupancy(slot.start, slot.end, scenario.service)
                if (
                    wall(start, scenario.zone) == local
                    and slot.end <= window_end(day, w, scenario.zone)
                    and scenario.start <= start < scenario.end
                    and scenario.now + limits.min_notice <= start
                    and start <= scenario.now + limits.max_advance
                    and not any(overlaps(blocked, i) for i in [*scenario.busy, *scenario.time_off])
                ):
                    assert start in offered
                local += limits.step
        day += timedelta(days=1)


@PROPERTY_SETTINGS
@given(scenarios())
def test_open_starts_filtered_by_notice_horizon_and_range_are_the_slots(scenario: Scenario) -> None:
    """booking.slot_cache keeps open_starts per day and filters them per request: that must be
    free_slots exactly, on DST days and grids that do not divide an hour too."""
    zone, policy = scenario.zone, scenario.policy
    first = scenario.start.astimezone(zone).date() - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((scenario.end.astimezone(zone).date() - first).days + 2)]
    by_day = open_starts(
        working_hours=scenario.working_hours,
        time_off=scenario.time_off,
        busy=scenario.busy,
        service=scenario.service,
        policy=policy,
        zone=zone,
        days=days,
    )
    earliest = max(scenario.start, scenario.now + policy.min_notice)
    latest = scenario.now + policy.max_advance
    kept = [s for day in days for s in by_day[day] if earliest <= s < scenario.end and s <= latest]
    assert kept == [slot.start for slot in scenario.slots()]
    for day, starts in by_day.items():
        assert list(starts) == sorted(starts) and all(s.astimezone(zone).date() == day for s in starts)
