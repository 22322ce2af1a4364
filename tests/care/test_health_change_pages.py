"""The health question's pages: the patient's yes/no with the date, the questions on a yes and
the outcome; the practitioner's appointment page shows the answer; Spanish with no English left."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from care.models import HealthChangeAnswer
from tests.accounts.factories import make_patient
from tests.care.health_course import BLOCK, REVIEW, Course, make_course
from tests.core.i18n import english_left_in
from tests.workspace.factories import NOW, Desk, body, staff_client

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def course(desk: Desk, patient: Patient, time_machine: time_machine.TimeMachineFixture) -> Course:
    built = make_course(desk, patient)
    time_machine.move_to(NOW, tick=False)
    return built


def signed_in(patient: Patient) -> Client:
    client = Client()
    client.force_login(patient.user, backend=BACKEND)
    return client


def page(appointment: Appointment) -> str:
    return f"/care/visits/{appointment.pk}/health/"


def test_the_patient_answers_no_and_reads_that_the_visit_goes_ahead(course: Course, patient: Patient) -> None:
    client = signed_in(patient)
    asked = client.get(page(course.visits[1]))
    assert asked.status_code == 200
    assert "23 May 2026" in body(asked) and 'name="changed"' in body(asked)
    done = client.post(page(course.visits[1]), {"changed": "no"})
    assert done.status_code == 302 and done["Location"] == page(course.visits[1])
    assert "goes ahead as booked" in body(client.get(page(course.visits[1])))
    assert HealthChangeAnswer.objects.get().outcome == "unchanged"


def test_a_yes_shows_the_questions_and_a_flag_asks_for_a_new_signature(course: Course, patient: Patient) -> None:
    client = signed_in(patient)
    step = client.post(page(course.visits[1]), {"changed": "yes"})
    assert step.status_code == 302 and step["Location"].endswith("?changed=yes")
    questions = client.get(step["Location"])
    assert "Are you very afraid of needles?" in body(questions)
    missing = client.post(page(course.visits[1]), {"step": "screening", "needle_fear": "no"})
    assert missing.status_code == 200 and "Please answer this question." in body(missing)
    client.post(page(course.visits[1]), {"step": "screening", **REVIEW})
    outcome = body(client.get(page(course.visits[1])))
    assert "Your practitioner will check your answers" in outcome
    answer = HealthChangeAnswer.objects.get()
    sign = f"/appointments/{course.visits[1].pk}/consent/?screening={answer.screening_id}"
    assert sign in outcome
    # The booking flow's consent page takes these answers: the patient signs again there.
    assert client.get(sign).status_code == 200


def test_a_block_explains_kindly_what_to_do(course: Course, patient: Patient) -> None:
    client = signed_in(patient)
    client.post(page(course.visits[1]), {"step": "screening", **BLOCK})
    outcome = body(client.get(page(course.visits[1])))
    assert "Dry needling is not right for you now" in outcome
    assert "Needling is not for you now." in outcome  # the clinic's own reason
    assert "Assessment without needling" in outcome  # the way to be seen without needles


def test_another_patients_visit_and_a_first_visit_are_404(course: Course, patient: Patient) -> None:
    assert signed_in(make_patient("olive@example.com")).get(page(course.visits[1])).status_code == 404
    assert signed_in(patient).get(page(course.visits[0])).status_code == 404


def test_the_practitioner_sees_the_answer_on_the_appointment_page(course: Course, patient: Patient) -> None:
    signed_in(patient).post(page(course.visits[1]), {"step": "screening", **REVIEW})
    html = body(staff_client(course.plan.practitioner.user).get(f"/staff/appointments/{course.visits[1].pk}/"))
    assert "Health since 23 May 2026" in html
    assert "screening flagged for your review" in html
    assert "Do you have diabetes?" in html


def test_the_pages_read_in_spanish(course: Course, patient: Patient, desk: Desk) -> None:
    patient.user.language = "es"
    patient.user.save(update_fields=["language"])
    client = signed_in(patient)
    pages = {"question": body(client.get(page(course.visits[1])))}
    client.post(page(course.visits[1]), {"changed": "yes"})
    pages["questions"] = body(client.get(page(course.visits[1]) + "?changed=yes"))
    client.post(page(course.visits[1]), {"step": "screening", **BLOCK})
    pages["outcome"] = body(client.get(page(course.visits[1])))
    assert {name: english_left_in(html) for name, html in pages.items() if english_left_in(html)} == {}
    assert all('<html lang="es"' in html for html in pages.values())
