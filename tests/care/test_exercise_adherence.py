"""Adherence per week through the staff API is care.adherence's count over the clinic's
calendar, including the week the clocks go back in London (Sunday 25 October 2026), where a
tick at 00:30 on the Sunday and one at 23:30 both fall on that Sunday."""

# Fixtures come from tests/care/exercise_fixtures.py by import; pytest sees them as arguments.
# ruff: noqa: F811
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

from care import adherence
from care.models import CarePlan, Exercise, PlanExercise
from care.services import exercises as services
from tests.care.exercise_fixtures import alex, chin_tucks, plan  # noqa: F401
from tests.workspace.factories import Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_weekly_adherence_via_the_api_equals_the_pure_count_across_a_dst_change(
    alex: Client, plan: CarePlan, chin_tucks: Exercise, desk: Desk, time_machine: time_machine.TimeMachineFixture
) -> None:
    user = desk.alex.user
    # Wednesday 14 October: one exercise from that day, a second from Monday 19th, stopped Tuesday 27th.
    first = services.prescribe(plan, exercise=chin_tucks, actor=user, now=at(2026, 10, 14, 9))
    second = services.prescribe(
        plan, exercise=chin_tucks, actor=user, start_on=date(2026, 10, 19), now=at(2026, 10, 14, 9)
    )
    services.stop_prescription(second, actor=user, now=at(2026, 10, 27, 12))
    ticks = [
        (first, at(2026, 10, 14, 18)),  # Wed 14th
        (first, at(2026, 10, 15, 18)),  # Thu 15th
        (first, at(2026, 10, 19, 7)),  # Mon 19th, 08:00 BST
        (second, at(2026, 10, 19, 7)),
        (first, at(2026, 10, 24, 23, 30)),  # Sun 25th 00:30 BST: Sunday in London, Saturday in UTC
        (second, at(2026, 10, 25, 23, 30)),  # Sun 25th 23:30 GMT
        (first, at(2026, 10, 26, 0, 30)),  # Mon 26th 00:30 GMT
        (second, at(2026, 10, 27, 8)),  # Tue 27th, its last day
    ]
    for row, when in ticks:
        services.tick(row, actor=user, now=when)
    time_machine.move_to(at(2026, 10, 28, 12), tick=False)  # Wednesday 28th

    body = staff_client(user).get(f"/api/v1/staff/care-plans/{plan.pk}/adherence").json()

    expected = adherence.weekly(
        [
            adherence.Prescribed(first.pk, date(2026, 10, 14)),
            adherence.Prescribed(second.pk, date(2026, 10, 19), date(2026, 10, 27)),
        ],
        [
            (first.pk, date(2026, 10, 14)),
            (first.pk, date(2026, 10, 15)),
            (first.pk, date(2026, 10, 19)),
            (second.pk, date(2026, 10, 19)),
            (first.pk, date(2026, 10, 25)),
            (second.pk, date(2026, 10, 25)),
            (first.pk, date(2026, 10, 26)),
            (second.pk, date(2026, 10, 27)),
        ],
        date(2026, 10, 28),
    )
    assert body["today"] == "2026-10-28"
    assert [(w["starts_on"], w["prescribed"], w["done"]) for w in body["weeks"]] == [
        (w.starts_on.isoformat(), w.prescribed, w.done) for w in expected
    ]
    # Written out: 12-18 Oct 5 days (2 done); 19-25 Oct 14 (4 done); 26-28 Oct 3 + 2 (2 done).
    assert [(w["prescribed"], w["done"]) for w in body["weeks"]] == [(5, 2), (14, 4), (5, 2)]
    assert body["overall"] == pytest.approx(8 / 24)
    assert body["weeks"][1]["share"] == pytest.approx(4 / 14)


def test_a_plan_without_exercises_has_no_weeks(alex: Client, plan: CarePlan) -> None:
    body = alex.get(f"/api/v1/staff/care-plans/{plan.pk}/adherence").json()

    assert body == {"today": "2026-06-01", "overall": None, "weeks": []}


def test_ticks_in_the_log_are_the_ones_counted(plan: CarePlan, chin_tucks: Exercise, desk: Desk) -> None:
    row = services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user)
    services.tick(row, actor=desk.alex.user)
    services.tick(row, actor=desk.alex.user)

    assert PlanExercise.objects.get(pk=row.pk).log.count() == 1
