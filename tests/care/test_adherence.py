"""Adherence counts prescribed exercise-days and the ones ticked, per Monday-to-Sunday week."""

from __future__ import annotations

from datetime import date

from care.adherence import Prescribed, Week, overall, weekly

MON = date(2026, 3, 2)  # a Monday


def test_each_prescribed_exercise_counts_once_a_day_up_to_today() -> None:
    weeks = weekly([Prescribed(1, MON), Prescribed(2, date(2026, 3, 4))], [], today=date(2026, 3, 5))
    assert weeks == [Week(starts_on=MON, prescribed=4 + 2, done=0)]


def test_ticked_days_count_as_done_and_weeks_split_on_monday() -> None:
    done = [(1, date(2026, 3, 7)), (1, date(2026, 3, 8)), (1, date(2026, 3, 9))]
    weeks = weekly([Prescribed(1, date(2026, 3, 7))], done, today=date(2026, 3, 10))
    assert weeks == [Week(MON, 2, 2), Week(date(2026, 3, 9), 2, 1)]
    assert weeks[1].share == 0.5
    assert overall(weeks) == 3 / 4


def test_a_tick_outside_the_prescription_does_not_count() -> None:
    done = [(1, date(2026, 3, 1)), (1, date(2026, 3, 6)), (2, date(2026, 3, 3))]
    weeks = weekly([Prescribed(1, MON, stopped_on=date(2026, 3, 4))], done, today=date(2026, 3, 8))
    assert weeks == [Week(MON, 3, 0)]


def test_nothing_prescribed_has_no_share() -> None:
    assert weekly([], [(1, MON)], today=MON) == []
    assert overall([]) is None
    assert Week(MON, 0, 0).share is None
