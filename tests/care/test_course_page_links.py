"""The patient's course page leads to what is due: the health question of a visit whose
question is open (and not once it is answered), and the discharge summary once there is one."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from care.services.discharge import discharge_plan
from care.services.health import answer_health_change
from tests.care.health_course import Course, make_course
from tests.workspace.factories import NOW, Desk, body

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def course(desk: Desk, patient: Patient, time_machine: time_machine.TimeMachineFixture) -> Course:
    built = make_course(desk, patient)
    time_machine.move_to(NOW, tick=False)
    return built


def course_page(patient: Patient, course: Course) -> str:
    client = Client()
    client.force_login(patient.user, backend=BACKEND)
    return body(client.get(f"/care/plans/{course.plan.pk}/"))


def test_the_open_health_question_is_linked_from_its_visit_until_answered(course: Course, patient: Patient) -> None:
    # Visit 2 is two days ahead (its question is open); visit 3 is nine days ahead (not yet).
    html = course_page(patient, course)
    assert f'href="/care/visits/{course.visits[1].pk}/health/"' in html
    assert f"/care/visits/{course.visits[2].pk}/health/" not in html

    answer_health_change(patient, appointment_id=course.visits[1].pk, changed=False)
    assert "/health/" not in course_page(patient, course)


def test_the_discharge_summary_is_linked_once_the_plan_is_closed(course: Course, patient: Patient, desk: Desk) -> None:
    link = f'href="/care/plans/{course.plan.pk}/discharge.pdf"'
    assert link not in course_page(patient, course)
    discharge_plan(course.plan, reason="goals_met", note="", by=desk.alex.user)
    assert link in course_page(patient, course)
