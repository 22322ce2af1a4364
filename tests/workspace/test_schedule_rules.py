"""Pure schedule checks: overlapping working periods, and whether a visit fits the hours."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from workspace.schedule_rules import Window, fits, window_problems

LONDON = ZoneInfo("Europe/London")
MON = 0


def test_a_break_between_two_periods_is_fine() -> None:
    assert window_problems([Window(MON, time(9), time(12, 30)), Window(MON, time(13, 30), time(17))]) == []


def test_touching_periods_do_not_overlap() -> None:
    assert window_problems([Window(MON, time(9), time(12)), Window(MON, time(12), time(17))]) == []


def test_overlapping_periods_are_named() -> None:
    problems = window_problems([Window(MON, time(9), time(12)), Window(MON, time(11), time(14))])

    assert problems == ["Monday 09:00-12:00 overlaps Monday 11:00-14:00."]


def test_the_same_hours_on_different_days_do_not_overlap() -> None:
    assert window_problems([Window(MON, time(9), time(12)), Window(1, time(9), time(12))]) == []


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    assert window_problems([Window(MON, time(17), time(9))]) == ["Monday 17:00-09:00: the end must be after the start."]


def test_hours_at_another_clinic_count() -> None:
    problems = window_problems([Window(MON, time(9), time(12))], others=[Window(MON, time(11), time(13))])

    assert problems == ["Monday 09:00-12:00 overlaps your hours at another clinic (Monday 11:00-13:00)."]


def test_a_visit_fits_inside_a_window_on_its_local_day() -> None:
    windows = [Window(MON, time(9), time(12))]
    # Monday 1 June 2026, 10:00-11:00 in London is 09:00-10:00 UTC.
    assert fits(datetime(2026, 6, 1, 9, tzinfo=UTC), datetime(2026, 6, 1, 10, tzinfo=UTC), windows, LONDON)
    assert fits(datetime(2026, 6, 1, 10, tzinfo=UTC), datetime(2026, 6, 1, 11, tzinfo=UTC), windows, LONDON)
    assert not fits(datetime(2026, 6, 1, 10, 30, tzinfo=UTC), datetime(2026, 6, 1, 11, 30, tzinfo=UTC), windows, LONDON)
    assert not fits(datetime(2026, 6, 2, 9, tzinfo=UTC), datetime(2026, 6, 2, 10, tzinfo=UTC), windows, LONDON)


def test_a_visit_across_a_break_does_not_fit() -> None:
    windows = [Window(MON, time(9), time(12)), Window(MON, time(13), time(17))]

    assert not fits(datetime(2026, 6, 1, 10, 30, tzinfo=UTC), datetime(2026, 6, 1, 12, 30, tzinfo=UTC), windows, LONDON)
