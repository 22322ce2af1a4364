"""Two answers for one visit at once (a double tap, a second tab, the API and the page): the
patient's lock lets exactly one through; the other is told it was answered already."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection

from accounts.models import Patient
from booking.models import Appointment
from care.models import HealthChangeAnswer
from care.selectors.health import AlreadyAnswered
from care.services.health import answer_health_change
from tests.care.health_course import BLOCK, make_course
from tests.resources import need_postgres
from tests.workspace.factories import NOW, Desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    # SQLite serialises writers ("database is locked"): the race is PostgreSQL's to prove.
    need_postgres()


def race(calls: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            outcomes[i] = call()
        except BaseException as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an answering thread hung (deadlock?)"
    return outcomes


def test_two_answers_at_once_store_one(
    desk: Desk, patient: Patient, time_machine: time_machine.TimeMachineFixture
) -> None:
    course = make_course(desk, patient)
    time_machine.move_to(NOW, tick=False)
    visit = course.visits[1]
    outcomes = race(
        [
            lambda: answer_health_change(patient, appointment_id=visit.pk, changed=False),
            lambda: answer_health_change(patient, appointment_id=visit.pk, changed=True, answers=BLOCK),
        ]
    )
    stored = HealthChangeAnswer.objects.get()
    assert sum(isinstance(o, HealthChangeAnswer) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyAnswered) for o in outcomes) == 1
    # Whichever won, the visits agree with the one stored answer.
    expected = Appointment.Status.CANCELLED if stored.outcome == "blocked" else Appointment.Status.CONFIRMED
    assert Appointment.objects.get(pk=visit.pk).status == expected
