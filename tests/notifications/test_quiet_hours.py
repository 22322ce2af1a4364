"""SMS quiet hours: a text due in them waits for their end, in the patient's own zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.planner import first_instant_at, is_quiet, next_allowed_time

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NIGHT = (time(21, 0), time(8, 0))


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("due", "allowed"),
    [
        pytest.param(london(2026, 6, 2, 12, 0), london(2026, 6, 2, 12, 0), id="daytime: unchanged"),
        pytest.param(london(2026, 6, 2, 20, 59), london(2026, 6, 2, 20, 59), id="a minute before quiet"),
        pytest.param(london(2026, 6, 2, 21, 0), london(2026, 6, 3, 8, 0), id="quiet starts: tomorrow 08:00"),
        pytest.param(london(2026, 6, 2, 23, 30), london(2026, 6, 3, 8, 0), id="late evening: tomorrow 08:00"),
        pytest.param(london(2026, 6, 3, 0, 15), london(2026, 6, 3, 8, 0), id="after midnight: today 08:00"),
        pytest.param(london(2026, 6, 3, 7, 59), london(2026, 6, 3, 8, 0), id="a minute before the end"),
        pytest.param(london(2026, 6, 3, 8, 0), london(2026, 6, 3, 8, 0), id="quiet ends: allowed"),
        pytest.param(london(2026, 12, 31, 22, 0), london(2027, 1, 1, 8, 0), id="across the new year"),
    ],
)
def test_a_window_across_midnight(due: datetime, allowed: datetime) -> None:
    result = next_allowed_time(due, LONDON, *NIGHT)

    assert result == allowed
    assert result.tzinfo == UTC


def test_a_window_within_one_day() -> None:
    lunch = (time(12, 0), time(14, 0))

    assert next_allowed_time(london(2026, 6, 2, 13, 0), LONDON, *lunch) == london(2026, 6, 2, 14, 0)
    assert next_allowed_time(london(2026, 6, 2, 11, 0), LONDON, *lunch) == london(2026, 6, 2, 11, 0)
    assert next_allowed_time(london(2026, 6, 2, 23, 0), LONDON, *lunch) == london(2026, 6, 2, 23, 0)


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    assert not is_quiet(time(3, 0), time(0, 0), time(0, 0))
    assert next_allowed_time(london(2026, 6, 2, 3, 0), LONDON, time(0, 0), time(0, 0)) == london(2026, 6, 2, 3, 0)


def test_it_is_the_patients_zone_that_counts() -> None:
    # 11:00 UTC is midday in London but 07:00 in New York (EDT).
    due = utc(2026, 6, 2, 11, 0)

    assert next_allowed_time(due, LONDON, *NIGHT) == due
    assert next_allowed_time(due, NEW_YORK, *NIGHT) == utc(2026, 6, 2, 12, 0)


def test_the_night_the_clocks_go_forward_is_an_hour_shorter() -> None:
    # Saturday, 28 March 2026, 22:00 GMT; the clocks go forward at 01:00 UTC.
    result = next_allowed_time(utc(2026, 3, 28, 22, 0), LONDON, *NIGHT)

    assert result == utc(2026, 3, 29, 7, 0)  # 08:00 BST
    assert result - utc(2026, 3, 28, 22, 0) == timedelta(hours=9)


def test_the_night_the_clocks_go_back_is_an_hour_longer() -> None:
    # Saturday, 24 October 2026, 22:00 BST; the clocks go back at 01:00 UTC.
    result = next_allowed_time(utc(2026, 10, 24, 21, 0), LONDON, *NIGHT)

    assert result == utc(2026, 10, 25, 8, 0)  # 08:00 GMT
    assert result - utc(2026, 10, 24, 21, 0) == timedelta(hours=11)


def test_an_end_that_the_clocks_skip_is_reached_when_they_jump() -> None:
    # 01:30 does not exist in London on 29 March 2026: 01:00 GMT is followed by 02:00 BST.
    assert first_instant_at(datetime(2026, 3, 29).date(), time(1, 30), LONDON) == utc(2026, 3, 29, 1, 0)
    result = next_allowed_time(utc(2026, 3, 28, 23, 0), LONDON, time(21, 0), time(1, 30))
    assert result == utc(2026, 3, 29, 1, 0)


def test_an_end_that_happens_twice_is_its_first_time() -> None:
    # 01:30 happens twice in London on 25 October 2026: at 00:30 and at 01:30 UTC.
    result = next_allowed_time(utc(2026, 10, 24, 22, 0), LONDON, time(21, 0), time(1, 30))

    assert result == utc(2026, 10, 25, 0, 30)


ZONES = st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Sydney"), ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")])
INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=300, deadline=None)
@given(due=INSTANTS, zone=ZONES, quiet_start=TIMES, quiet_end=TIMES)
def test_the_result_is_the_first_allowed_instant(
    due: datetime, zone: ZoneInfo, quiet_start: time, quiet_end: time
) -> None:
    result = next_allowed_time(due, zone, quiet_start, quiet_end)

    def quiet(moment: datetime) -> bool:
        return is_quiet(moment.astimezone(zone).replace(tzinfo=None).time(), quiet_start, quiet_end)

    assert result >= due
    assert not quiet(result), "the text goes out at an allowed time"
    assert result - due <= timedelta(hours=25), "never more than a day (and a DST hour) late"
    step = timedelta(minutes=7)
    moment = due
    while moment < result:
        assert quiet(moment), f"{moment} was allowed, yet the text waited until {result}"
        moment += step
