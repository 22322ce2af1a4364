"""The patient's exercises page on the phone: today's exercises with the dose in words, a tick
button each as a plain form, the done state in words, and all of it in Spanish and French."""

# Fixtures come from tests/care/exercise_fixtures.py by import; pytest sees them as arguments.
# ruff: noqa: F811
from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan, PlanExercise
from tests.care.exercise_fixtures import alex, chin_tucks, log_days, plan, prescribed  # noqa: F401
from tests.core.i18n import english_left_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def signed_in(patient: Patient, language: str = "en") -> Client:
    patient.user.language = language
    patient.user.save(update_fields=["language"])
    client = Client()
    client.force_login(patient.user)
    return client


def test_the_page_shows_todays_exercise_and_ticks_it_with_a_plain_form(
    patient: Patient, plan: CarePlan, prescribed: PlanExercise
) -> None:
    pat = signed_in(patient)
    url = f"/care/plans/{plan.pk}/exercises/"

    before = pat.get(url).content.decode()
    ticked = pat.post(f"/care/plans/{plan.pk}/exercises/{prescribed.pk}/tick/", {"done": "yes"})
    pat.post(f"/care/plans/{plan.pk}/exercises/{prescribed.pk}/tick/", {"done": "yes"})
    after = pat.get(url).content.decode()

    assert "3 sets of 10, hold 5 seconds, twice a day" in before
    assert "Not done yet today" in before and 'alt="A person sitting tall, drawing the chin back"' in before
    assert ticked.status_code == 302 and ticked["Location"].endswith(f"#exercise-{prescribed.pk}")
    assert "Done today" in after and "0 of 1 exercise done today" not in after and "1 of 1 exercise done today" in after
    assert len(log_days(prescribed)) == 1

    pat.post(f"/care/plans/{plan.pk}/exercises/{prescribed.pk}/tick/", {"done": "no"})
    assert log_days(prescribed) == []


def test_another_patients_page_and_tick_are_404(
    other_patient: Patient, plan: CarePlan, prescribed: PlanExercise
) -> None:
    olive = signed_in(other_patient)

    assert olive.get(f"/care/plans/{plan.pk}/exercises/").status_code == 404
    assert olive.post(f"/care/plans/{plan.pk}/exercises/{prescribed.pk}/tick/").status_code == 404
    assert olive.get(f"/care/plans/{plan.pk}/exercises/reminder/").status_code == 404
    assert log_days(prescribed) == []


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_pages_are_translated(language: str, patient: Patient, plan: CarePlan, prescribed: PlanExercise) -> None:
    pat = signed_in(patient, language)
    from datetime import time

    from care.services import exercises as services

    token = services.set_reminder(plan, at=time(18), active=True, actor=patient.user).stop_token
    pages = [
        f"/care/plans/{plan.pk}/exercises/",
        f"/care/plans/{plan.pk}/exercises/reminder/",
        f"/care/reminders/stop/{token}/",
    ]
    for url in pages:
        response = pat.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, url
        assert english_left_in(html) == [], url
    today = pat.get(pages[0]).content.decode()
    assert ("Retracción de mentón" in today) == (language == "es")
    assert {"es": "3 series de 10", "fr": "3 séries de 10"}[language] in today
