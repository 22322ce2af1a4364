"""waitlist.matching without a database: fit, order, the entry's wishes, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.availability import ServiceSpec
from waitlist import matching
from waitlist.matching import Freed, Wish

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 BST
THIRTY = ServiceSpec(timedelta(minutes=30))
HOUR_BUFFERED = ServiceSpec(timedelta(minutes=45), timedelta(minutes=5), timedelta(minutes=10))


def at(day: date, hh_mm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm), LONDON)


TUESDAY = date(2026, 6, 2)


def freed(start: str = "10:00", end: str = "11:00", day: date = TUESDAY, practitioner: int = 7) -> Freed:
    return Freed(practitioner, at(day, start), at(day, end), LONDON)


def wish(pk: int = 1, **fields: object) -> Wish:
    values: dict[str, object] = {
        "pk": pk,
        "patient_id": 100 + pk,
        "appointment_type_id": 1,
        "practitioner_id": None,
        "first_day": date(2026, 6, 1),
        "last_day": date(2026, 6, 30),
        "weekdays": (),
        "parts_of_day": (),
        "notice": timedelta(hours=2),
        "joined_at": NOW - timedelta(days=1),
    }
    values.update(fields)
    return Wish(**values)  # type: ignore[arg-type]


def test_without_a_grid_the_treatment_starts_where_the_freed_time_starts_after_its_buffer() -> None:
    assert matching.offered_start(freed(), THIRTY) == at(TUESDAY, "10:00")
    assert matching.offered_start(freed(), HOUR_BUFFERED) == at(TUESDAY, "10:05")


def test_a_treatment_longer_than_the_freed_time_does_not_fit() -> None:
    assert matching.offered_start(freed(end="10:50"), HOUR_BUFFERED) is None
    assert matching.offered_start(freed(end="11:00"), HOUR_BUFFERED) is not None


def test_with_a_grid_the_first_grid_start_that_fits_is_offered() -> None:
    grid = [at(TUESDAY, "10:00"), at(TUESDAY, "10:15"), at(TUESDAY, "10:30")]
    # 10:00 would put its buffer before the freed time; 10:15 fits (10:10 to 11:10 needs 11:10).
    assert matching.offered_start(freed(end="11:10"), HOUR_BUFFERED, grid) == at(TUESDAY, "10:15")
    assert matching.offered_start(freed(), THIRTY, []) is None


def test_matches_come_in_joining_order_then_by_id() -> None:
    early = wish(3, joined_at=NOW - timedelta(days=3))
    tie_low, tie_high = wish(4, joined_at=NOW - timedelta(days=2)), wish(5, joined_at=NOW - timedelta(days=2))
    fits = matching.match(freed(), offered={1: THIRTY}, wishes=[tie_high, tie_low, early], now=NOW)
    assert [f.wish.pk for f in fits] == [3, 4, 5]


def test_a_treatment_the_practitioner_does_not_offer_is_not_matched() -> None:
    assert matching.match(freed(), offered={2: THIRTY}, wishes=[wish()], now=NOW) == []


def test_a_named_practitioner_must_be_the_one_whose_time_freed() -> None:
    fits = matching.match(
        freed(), offered={1: THIRTY}, wishes=[wish(1, practitioner_id=7), wish(2, practitioner_id=8)], now=NOW
    )
    assert [f.wish.pk for f in fits] == [1]


def test_the_local_day_must_be_within_the_range() -> None:
    inside = wish(1, first_day=TUESDAY, last_day=TUESDAY)
    before = wish(2, last_day=date(2026, 6, 1))
    after = wish(3, first_day=date(2026, 6, 3))
    assert [
        f.wish.pk for f in matching.match(freed(), offered={1: THIRTY}, wishes=[inside, before, after], now=NOW)
    ] == [1]


def test_weekdays_and_parts_of_the_day_are_read_in_local_time() -> None:
    wishes = [
        wish(1, weekdays=(1,)),  # Tuesday
        wish(2, weekdays=(0, 2)),
        wish(3, parts_of_day=("morning",)),
        wish(4, parts_of_day=("afternoon", "evening")),
    ]
    assert [f.wish.pk for f in matching.match(freed(), offered={1: THIRTY}, wishes=wishes, now=NOW)] == [1, 3]


def test_parts_of_the_day_have_their_edges_at_noon_and_five() -> None:
    assert matching.part_of_day(time(11, 59)) == "morning"
    assert matching.part_of_day(time(12, 0)) == "afternoon"
    assert matching.part_of_day(time(16, 59)) == "afternoon"
    assert matching.part_of_day(time(17, 0)) == "evening"


def test_notice_is_the_time_from_now_to_the_start() -> None:
    soon = Freed(7, NOW + timedelta(hours=2), NOW + timedelta(hours=3), LONDON)
    wishes = [wish(1, notice=timedelta(hours=2)), wish(2, notice=timedelta(minutes=121))]
    assert [f.wish.pk for f in matching.match(soon, offered={1: THIRTY}, wishes=wishes, now=NOW)] == [1]


def test_dst_the_local_day_and_weekday_after_clocks_go_back() -> None:
    # Saturday 24 October 2026 23:30 UTC is Sunday 00:30 BST in London (clocks go back at 02:00).
    start = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    slot = Freed(7, start, start + timedelta(hours=1), LONDON)
    now = start - timedelta(days=1)
    sunday = wish(1, weekdays=(6,), first_day=date(2026, 10, 25), last_day=date(2026, 10, 25))
    saturday = wish(2, weekdays=(5,))
    fits = matching.match(slot, offered={1: THIRTY}, wishes=[sunday, saturday], now=now)
    assert [f.wish.pk for f in fits] == [1]


def test_dst_parts_of_the_day_follow_the_clocks_going_forward() -> None:
    # Sunday 29 March 2026: 11:30 UTC is 12:30 BST, an afternoon in London.
    start = datetime(2026, 3, 29, 11, 30, tzinfo=UTC)
    slot = Freed(7, start, start + timedelta(hours=1), LONDON)
    fits = matching.match(
        slot,
        offered={1: THIRTY},
        wishes=[
            wish(1, parts_of_day=("morning",), first_day=date(2026, 3, 1)),
            wish(2, parts_of_day=("afternoon",), first_day=date(2026, 3, 1)),
        ],
        now=start - timedelta(days=1),
    )
    assert [f.wish.pk for f in fits] == [2]


def test_dst_notice_counts_real_hours_across_the_change() -> None:
    # 00:30 GMT to 03:30 BST on 29 March 2026 looks like three hours on the clock but is two.
    now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    start = datetime(2026, 3, 29, 3, 30, tzinfo=LONDON)
    slot = Freed(7, start, start + timedelta(hours=1), LONDON)
    wishes = [
        wish(1, notice=timedelta(hours=2), first_day=date(2026, 3, 1)),
        wish(2, notice=timedelta(hours=3), first_day=date(2026, 3, 1)),
    ]
    assert [f.wish.pk for f in matching.match(slot, offered={1: THIRTY}, wishes=wishes, now=now)] == [1]


def test_merge_and_subtract_work_on_instants_and_wall_times() -> None:
    a, b, c = at(TUESDAY, "10:00"), at(TUESDAY, "11:00"), at(TUESDAY, "12:00")
    assert matching.merge([(b, c), (a, b)]) == [(a.astimezone(UTC), c.astimezone(UTC))]
    assert matching.subtract([(time(9), time(17))], [(time(12), time(13))]) == [
        (time(9), time(12)),
        (time(13), time(17)),
    ]
    assert matching.subtract([(a, c)], [(a, c)]) == []


def test_dst_a_wall_span_on_the_short_day_is_an_hour_shorter() -> None:
    start, end = matching.wall_span(date(2026, 3, 29), time(0), time(12), LONDON)
    assert end - start == timedelta(hours=11)
