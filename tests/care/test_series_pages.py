"""The patient's page for booking the rest of a course: choose a weekday and time (a plain GET
form), see the proposal with moved visits marked and why, confirm (POST-redirect-GET). In
English, Spanish and French."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from care.models import CourseVisit
from tests.booking.pages import sign_in
from tests.care.series_helpers import live_course, make_plan
from tests.core.i18n import english_left_in
from tests.workspace.factories import Desk, book_plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
CHOICE = {"weekday": "1", "time": "14:00"}


def page(plan_id: int) -> str:
    return f"/care/plans/{plan_id}/book/"


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def confirm_fields(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return {name: value.replace("&#x27;", "'").replace("&quot;", '"') for name, value in fields.items()}


def test_the_page_prompts_for_the_sessions_left_and_offers_the_choice(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient)
    html = text(sign_in(Client(), patient).get(page(plan.pk)))
    assert "You have 6 sessions left to book." in html
    assert 'name="weekday"' in html and 'name="time"' in html
    assert '<label for="id_weekday">' in html and '<label for="id_time">' in html
    assert "Proposed visits" not in html


def test_the_proposal_marks_a_moved_visit_and_says_why(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 9)))
    plan = make_plan(desk, patient, sessions_planned=3)
    html = text(sign_in(Client(), patient).get(page(plan.pk), CHOICE))
    assert "Proposed visits" in html
    assert html.count("Moved") == 1
    assert "14:00 on Tuesday 9 June is not free" in html
    assert not Appointment.objects.filter(patient=patient).exists()


def test_confirming_books_the_series_and_redirects_back(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient, sessions_planned=3)
    client = sign_in(Client(), patient)
    shown = text(client.get(page(plan.pk), CHOICE))
    answer = client.post(page(plan.pk), confirm_fields(shown))
    assert answer.status_code == 302 and answer["Location"] == page(plan.pk)
    assert len(live_course(plan)) == 3
    after = text(client.get(page(plan.pk)))
    assert "Your visits are booked." in after
    assert "Every session of this plan is booked." in after
    assert after.count("Session ") == 3


def test_a_time_taken_meanwhile_books_nothing_and_shows_a_new_proposal(
    desk: Desk, patient: Patient, other_patient: Patient
) -> None:
    plan = make_plan(desk, patient, sessions_planned=3)
    client = sign_in(Client(), patient)
    shown = text(client.get(page(plan.pk), CHOICE))
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 16)))
    answer = client.post(page(plan.pk), confirm_fields(shown))
    assert answer.status_code == 302
    assert not CourseVisit.objects.filter(plan=plan).exists()
    again = text(client.get(answer["Location"]))
    assert "The free times have changed since you looked." in again
    assert "Moved" in again


def test_needling_without_consent_goes_to_the_consent_steps_for_the_first_visit(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient, kind=desk.needling, sessions_planned=3)
    client = sign_in(Client(), patient)
    shown = text(client.get(page(plan.pk), CHOICE))
    assert "Book the first visit" in shown
    answer = client.post(page(plan.pk), confirm_fields(shown))
    first = CourseVisit.objects.get(plan=plan).appointment
    assert answer["Location"] == f"/appointments/{first.pk}/"
    assert first.status == Appointment.Status.HELD
    back = text(client.get(page(plan.pk)))
    assert "You have 2 sessions left to book." in back
    assert f'href="/appointments/{first.pk}/"' in back  # the way back to the consent steps


def test_a_bad_choice_shows_the_field_error(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient)
    html = text(sign_in(Client(), patient).get(page(plan.pk), {"weekday": "9", "time": "late"}))
    assert "There is a problem" in html and "Enter a time such as 14:00." in html


def test_another_patients_plan_is_a_404(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    plan = make_plan(desk, other_patient)
    client = sign_in(Client(), patient)
    assert client.get(page(plan.pk)).status_code == 404
    assert client.post(page(plan.pk), CHOICE).status_code == 404


def test_signing_in_is_needed(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient)
    assert Client().get(page(plan.pk)).status_code == 302


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_page_reads_in_spanish_and_french(
    desk: Desk, patient: Patient, other_patient: Patient, language: str
) -> None:
    patient.user.language = language
    patient.user.save(update_fields=["language"])
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 9)))
    plan = make_plan(desk, patient, sessions_planned=3)
    client = sign_in(Client(), patient)
    shown = text(client.get(page(plan.pk), CHOICE))
    assert f'<html lang="{language}"' in shown
    assert english_left_in(shown) == []
    client.post(page(plan.pk), confirm_fields(shown))
    after = text(client.get(page(plan.pk)))
    assert english_left_in(after) == []
