"""The pre-visit message and the reminder of a later course visit link to the health question
until it is answered; a first visit's messages do not ask it."""

from __future__ import annotations

import pytest
import time_machine

from accounts.models import Patient
from booking.models import Appointment
from care.services.health import answer_health_change
from notifications import content
from notifications.kinds import Channel, Kind
from notifications.models import Notification
from notifications.selectors import settings_for
from tests.care.health_course import Course, make_course
from tests.workspace.factories import NOW, Desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(desk: Desk, patient: Patient, time_machine: time_machine.TimeMachineFixture) -> Course:
    built = make_course(desk, patient)
    time_machine.move_to(NOW, tick=False)
    return built


def message(visit: Appointment, kind: Kind) -> content.Rendered:
    row = Notification.objects.filter(appointment=visit, kind=kind, channel=Channel.EMAIL).latest("pk")
    return content.render(row, settings_for(visit.clinic_id))


@pytest.mark.parametrize("kind", [Kind.PRE_VISIT, Kind.REMINDER])
def test_a_later_visits_message_links_to_the_health_question(course: Course, kind: Kind) -> None:
    link = f"https://acus.example/care/visits/{course.visits[1].pk}/health/"
    rendered = message(course.visits[1], kind)
    assert link in rendered.text
    assert f'href="{link}"' in rendered.html
    assert "anything has changed in your health" in rendered.text


def test_the_first_visit_and_an_answered_visit_are_not_asked(course: Course, patient: Patient) -> None:
    assert "/health/" not in message(course.visits[0], Kind.PRE_VISIT).text
    answer_health_change(patient, appointment_id=course.visits[1].pk, changed=False)
    assert "/health/" not in message(course.visits[1], Kind.PRE_VISIT).text
