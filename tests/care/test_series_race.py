"""Patients racing to book overlapping series at once, on real PostgreSQL connections: one
full series wins, every other attempt fails cleanly, no partial series, no overlap.

Each thread has its own connection (Django's are per thread), waits at a barrier so that all
ask at once, and closes its connection at the end, like tests/booking/test_concurrency.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest

from accounts.models import Patient
from booking.models import Appointment
from care.models import CarePlan, CourseVisit
from care.services import series
from tests.accounts.factories import make_patient
from tests.booking.overlaps import assert_no_overlaps
from tests.care.series_helpers import live_course, make_plan
from tests.races import race
from tests.resources import need_postgres
from tests.workspace.factories import NOW, Desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    # SQLite serialises writers ("database is locked"): the race is PostgreSQL's to prove.
    need_postgres()


TUESDAY = 1
Outcome = series.Booked | BaseException


def booker(plan: CarePlan, patient: Patient, *, seen: bool) -> Callable[[], series.Booked]:
    # `seen`: the caller confirms the proposal they were shown (the pages and the API do).
    starts = None
    if seen:
        proposal = series.propose_series(plan, weekday=TUESDAY, time_of_day=time(14), now=NOW)
        starts = [s for s in proposal.starts if s is not None]

    def call() -> series.Booked:
        return series.book_series(
            plan, actor=patient.user, weekday=TUESDAY, time_of_day=time(14), starts=starts, now=NOW
        )

    return call


def check_one_winner(outcomes: list[Outcome], plans: list[CarePlan]) -> None:
    wins = [o for o in outcomes if isinstance(o, series.Booked)]
    failures = [o for o in outcomes if not isinstance(o, series.Booked)]
    assert len(wins) == 1, outcomes
    assert all(isinstance(f, series.SeriesChanged | series.SeriesUnavailable) for f in failures), failures
    sizes = sorted(len(live_course(plan)) for plan in plans)
    assert sizes == [0] * (len(plans) - 1) + [6]
    # No partial series: the losers have no rows at all, not even cancelled ones.
    assert CourseVisit.objects.count() == 6
    assert Appointment.objects.filter(status__in=Appointment.LIVE).count() == 6
    assert_no_overlaps()


@pytest.mark.parametrize("seen", [True, False], ids=["confirming-the-proposal", "fresh-proposal"])
def test_two_patients_racing_for_overlapping_series_leave_one_full_series(desk: Desk, seen: bool) -> None:
    patients = [make_patient(), make_patient()]
    plans = [make_plan(desk, p) for p in patients]
    outcomes = race([booker(plan, p, seen=seen) for plan, p in zip(plans, patients, strict=True)])
    if seen:
        check_one_winner(outcomes, plans)
    else:
        # Without a proposal to confirm, the loser may book a moved series after the winner,
        # never a partial one nor an overlapping one.
        assert all(isinstance(o, series.Booked | series.SeriesUnavailable) for o in outcomes), outcomes
        assert sorted(len(live_course(plan)) for plan in plans) in ([0, 6], [6, 6])
        assert_no_overlaps()


def test_four_patients_racing_for_the_same_series_leave_exactly_one(desk: Desk) -> None:
    patients = [make_patient() for _ in range(4)]
    plans = [make_plan(desk, p) for p in patients]
    outcomes = race([booker(plan, p, seen=True) for plan, p in zip(plans, patients, strict=True)])
    check_one_winner(outcomes, plans)
