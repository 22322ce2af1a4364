"""Fill statistics of the waitlist: the pure percentile helper, and the counts, fill rate and
median time to fill of a known set of freed times, by cause, in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import User
from tests.accounts.factories import make_staff
from tests.workspace.factories import NOW, Desk, make_desk
from tests.workspace.waitlist_rows import TUESDAY, known_period
from waitlist.selectors.stats import fill_stats, median, percentile

PERIOD = {"start": NOW - timedelta(days=7), "end": NOW + timedelta(days=1)}


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 50, None),
        ([7.0], 50, 7.0),
        ([3.0, 1.0, 2.0], 50, 2.0),
        ([10.0, 30.0], 50, 20.0),
        ([1.0, 2.0, 3.0, 4.0], 0, 1.0),
        ([1.0, 2.0, 3.0, 4.0], 100, 4.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 90, 4.6),
        ([5.0, 1.0, 4.0, 2.0, 3.0], 25, 2.0),
    ],
)
def test_percentile_interpolates_between_closest_ranks(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == (pytest.approx(expected) if expected is not None else None)


def test_the_median_is_the_fiftieth_percentile() -> None:
    assert median([60.0, 10.0, 30.0]) == 30.0
    assert median([]) is None


@pytest.mark.parametrize("q", [-1, 101])
def test_a_percentile_outside_0_to_100_is_refused(q: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], q)


@pytest.fixture
def desk(db: None) -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN, "boss@example.com"))


def test_fill_rate_and_median_time_to_fill_of_a_known_period(
    desk: Desk, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    known_period(desk)

    with django_assert_num_queries(2):  # type: ignore[operator]
        stats = fill_stats([desk.clinic], **PERIOD)

    assert (stats.total.freed, stats.total.filled) == (5, 3)
    assert stats.total.fill_rate == pytest.approx(0.6)
    assert stats.total.median_minutes == pytest.approx(30)
    by_cause = {line.cause: (line.freed, line.filled, line.median_minutes) for line in stats.by_cause}
    assert by_cause == {"cancelled": (3, 2, 20.0), "moved": (1, 1, 60.0), "hold_expired": (1, 0, None)}
    assert stats.by_cause[0].cause == "cancelled"  # the most freed first
    assert stats.by_cause[0].label == "A cancellation"


def test_the_number_of_queries_does_not_grow_with_the_freed_times(
    desk: Desk, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    known_period(desk)
    known_period(desk, TUESDAY + timedelta(days=1))

    with django_assert_num_queries(2):  # type: ignore[operator]
        stats = fill_stats([desk.clinic], **PERIOD)

    assert (stats.total.freed, stats.total.filled) == (10, 6)


def test_an_empty_period_has_no_rate_and_no_median(desk: Desk) -> None:
    stats = fill_stats([desk.clinic], **PERIOD)

    assert (stats.total.freed, stats.total.filled, stats.by_cause) == (0, 0, [])
    assert stats.total.fill_rate is None and stats.total.median_minutes is None
