"""Two answers for one visit at once (a double tap, a second tab, the API and the page): the
patient's lock lets exactly one through; the other is told it was answered already."""

from __future__ import annotations

import pytest
import time_machine

from accounts.models import Patient
from booking.models import Appointment
from care.models import HealthChangeAnswer
from care.selectors.health import AlreadyAnswered
from care.services.health import answer_health_change
from tests.care.health_course import BLOCK, make_course
from tests.races import race
from tests.resources import need_postgres
from tests.workspace.factories import NOW, Desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    # SQLite serialises writers ("database is locked"): the race is PostgreSQL's to prove.
    need_postgres()


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
