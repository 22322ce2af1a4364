"""The series planner, pure: where each remaining session goes (no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from care.series_planner import FreeStarts, Moved, Reason, Request, plan_series, window

LONDON = ZoneInfo("Europe/London")
TUESDAY = 1


def grid(
    hours: Iterable[int] = range(9, 17), taken: Iterable[datetime] = (), closed: Iterable[date] = ()
) -> FreeStarts:
    """Free hourly starts every day, minus `taken` instants and `closed` days."""
    taken_utc = {t.astimezone(UTC) for t in taken}
    shut = set(closed)
    hour_list = list(hours)

    def free(day: date) -> Sequence[datetime]:
        if day in shut:
            return []
        starts = [datetime.combine(day, time(h), LONDON).astimezone(UTC) for h in hour_list]
        return [s for s in starts if s not in taken_utc]

    return free


def request(**changes: object) -> Request:
    values: dict[str, object] = {
        "first_number": 1,
        "count": 4,
        "spacing_days": 7,
        "weekday": TUESDAY,
        "time_of_day": time(14),
        "zone": LONDON,
        "earliest": date(2026, 6, 1),
    }
    values.update(changes)
    return Request(**values)  # type: ignore[arg-type]


def local(visit_start: datetime | None) -> datetime:
    assert visit_start is not None
    return visit_start.astimezone(LONDON)


def test_every_session_lands_on_the_chosen_weekday_and_time_when_free() -> None:
    visits = plan_series(request(), grid())
    assert [local(v.start).date() for v in visits] == [date(2026, 6, d) for d in (2, 9, 16, 23)]
    assert all(local(v.start).time() == time(14) for v in visits)
    assert all(v.moved == Moved.NOT_MOVED and v.reason == Reason.NONE for v in visits)
    assert [v.number for v in visits] == [1, 2, 3, 4]


def test_a_taken_time_moves_to_the_nearest_free_time_the_same_day() -> None:
    taken = datetime(2026, 6, 9, 14, tzinfo=LONDON)
    visits = plan_series(request(), grid(taken=[taken]))
    second = visits[1]
    assert local(second.start) == datetime(2026, 6, 9, 13, tzinfo=LONDON)  # 13:00 and 15:00 tie: earlier
    assert (second.moved, second.reason) == (Moved.OTHER_TIME, Reason.TAKEN)
    assert local(visits[2].start) == datetime(2026, 6, 16, 14, tzinfo=LONDON)


def test_a_full_day_moves_to_the_nearest_day_within_the_spacing() -> None:
    visits = plan_series(request(), grid(closed=[date(2026, 6, 9)]))
    second = visits[1]
    assert local(second.start) == datetime(2026, 6, 10, 14, tzinfo=LONDON)  # Wed before Mon: later first
    assert (second.moved, second.reason) == (Moved.OTHER_DAY, Reason.DAY_FULL)
    # The next one goes back to Tuesday, 6 days later: inside 7 +/- 2.
    assert local(visits[2].start).date() == date(2026, 6, 16)


def test_gaps_stay_within_the_spacing_window() -> None:
    closed = [date(2026, 6, 9), date(2026, 6, 10), date(2026, 6, 8)]
    visits = plan_series(request(count=5), grid(closed=closed))
    low, high = window(7)
    days = [local(v.start).date() for v in visits]
    gaps = [(b - a).days for a, b in pairwise(days)]
    assert all(low <= gap <= high for gap in gaps), gaps
    assert days[1] == date(2026, 6, 11)


def test_nothing_free_in_the_window_leaves_the_session_unplaced() -> None:
    closed = [date(2026, 6, 9) + timedelta(days=n) for n in range(-2, 3)]
    visits = plan_series(request(), grid(closed=closed))
    assert visits[1].start is None and visits[1].reason == Reason.NO_TIME
    # The next session is planned from the unplaced one's ideal day.
    assert local(visits[2].start).date() == date(2026, 6, 16)


def test_a_spacing_that_misses_the_weekday_says_so() -> None:
    visits = plan_series(request(spacing_days=3), grid())
    assert local(visits[0].start).date() == date(2026, 6, 2)
    assert (visits[1].moved, visits[1].reason) == (Moved.OTHER_DAY, Reason.SPACING)
    assert local(visits[1].start).date() == date(2026, 6, 5)


def test_spacing_of_one_day_never_puts_two_visits_on_a_day() -> None:
    assert window(1) == (1, 3)
    visits = plan_series(request(spacing_days=1, count=3), grid())
    days = [local(v.start).date() for v in visits]
    assert len(set(days)) == 3


def test_the_series_starts_after_the_last_booked_visit() -> None:
    visits = plan_series(request(first_number=3, count=2, after=date(2026, 6, 4)), grid())
    assert [v.number for v in visits] == [3, 4]
    # Thursday + 7 = Thursday; the Tuesday in [Sat, Mon..Sat] nearest to it is 9 June (5 days).
    assert local(visits[0].start).date() == date(2026, 6, 9)


def test_the_wall_clock_time_is_kept_across_the_spring_change() -> None:
    # Clocks go forward on Sunday 29 March 2026 in London.
    visits = plan_series(request(earliest=date(2026, 3, 16), count=4), grid())
    starts = [v.start for v in visits]
    assert all(local(s).time() == time(14) for s in starts)
    assert [s.astimezone(UTC).hour for s in starts if s] == [14, 14, 13, 13]
    assert all(v.moved == Moved.NOT_MOVED for v in visits)


def test_the_wall_clock_time_is_kept_across_the_autumn_change() -> None:
    # Clocks go back on Sunday 25 October 2026.
    visits = plan_series(request(earliest=date(2026, 10, 12), count=4, time_of_day=time(9)), grid())
    assert [v.start.astimezone(UTC).hour for v in visits if v.start] == [8, 8, 9, 9]


def test_a_time_that_does_not_exist_on_the_spring_day_moves_to_the_nearest_real_one() -> None:
    sunday = 6

    def free(day: date) -> Sequence[datetime]:
        # 00:00 to 04:00 on the hour; 01:00 does not exist on 29 March.
        starts = []
        for h in range(5):
            at = datetime.combine(day, time(h), LONDON)
            if at.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == at.replace(tzinfo=None):
                starts.append(at.astimezone(UTC))
        return starts

    visits = plan_series(request(earliest=date(2026, 3, 22), weekday=sunday, time_of_day=time(1), count=2), free)
    assert local(visits[0].start).time() == time(1)
    assert visits[1].moved == Moved.OTHER_TIME
    assert local(visits[1].start) == datetime(2026, 3, 29, 0, tzinfo=LONDON)


def test_other_zones_keep_their_own_wall_clock() -> None:
    new_york = ZoneInfo("America/New_York")

    def free(day: date) -> Sequence[datetime]:
        return [datetime.combine(day, time(h), new_york) for h in range(9, 17)]

    # New York moves forward on 8 March 2026.
    visits = plan_series(request(zone=new_york, earliest=date(2026, 3, 2), count=2), free)
    assert [v.start.astimezone(new_york).time() for v in visits if v.start] == [time(14), time(14)]
    assert [v.start.astimezone(UTC).hour for v in visits if v.start] == [19, 18]
