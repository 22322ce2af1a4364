"""The daily exercise reminder's settings and its one-tap stop: a time in the clinic's zone, on
or off, and a stop link that works without signing in, where a GET only asks (mail scanners
open links) and the POST stops."""

# Fixtures come from tests/care/exercise_fixtures.py by import; pytest sees them as arguments.
# ruff: noqa: F811
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan, ExerciseReminder
from care.services import exercises as services
from tests.accounts.sign_in import api_as
from tests.care.exercise_fixtures import alex, plan  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def put(patient: Patient, plan: CarePlan, body: Mapping[str, object]) -> Any:
    return api_as(patient).put(
        f"/api/v1/care-plans/{plan.pk}/exercise-reminder", json.dumps(body), content_type="application/json"
    )


def test_a_patient_sets_a_time_and_turns_it_off(patient: Patient, plan: CarePlan) -> None:
    url = f"/api/v1/care-plans/{plan.pk}/exercise-reminder"
    assert api_as(patient).get(url).json() == {"at": None, "active": False, "time_zone": "Europe/London"}

    on = put(patient, plan, {"at": "18:30", "active": True})
    off = put(patient, plan, {"active": False})

    assert on.json() == {"at": "18:30", "active": True, "time_zone": "Europe/London"}
    assert off.json() == {"at": "18:30", "active": False, "time_zone": "Europe/London"}
    assert ExerciseReminder.objects.get(plan=plan).active is False


def test_turning_it_on_needs_a_time_and_a_real_one(patient: Patient, plan: CarePlan) -> None:
    for body in ({"active": True}, {"at": "25:00", "active": True}, {"at": "18:30", "active": "yes"}):
        response = put(patient, plan, body)
        assert response.status_code == 400, body
    assert not ExerciseReminder.objects.exists()


def test_turning_it_on_again_gives_a_fresh_stop_token(plan: CarePlan, patient: Patient) -> None:
    from datetime import time

    first = services.set_reminder(plan, at=time(8), active=True, actor=patient.user)
    services.set_reminder(plan, at=time(8), active=False, actor=patient.user)
    again = services.set_reminder(plan, at=time(9), active=True, actor=patient.user)

    assert first.stop_token != again.stop_token and len(again.stop_token) >= 40
    assert services.set_reminder(plan, at=time(9), active=True, actor=patient.user).stop_token == again.stop_token


def test_the_stop_link_asks_on_get_and_stops_on_post_without_signing_in(plan: CarePlan, patient: Patient) -> None:
    from datetime import time

    token = services.set_reminder(plan, at=time(18), active=True, actor=patient.user).stop_token
    url = f"/care/reminders/stop/{token}/"
    anyone = Client(enforce_csrf_checks=True)

    asked = anyone.get(url)
    assert asked.status_code == 200 and "Stop the reminders" in asked.content.decode()
    assert ExerciseReminder.objects.get(plan=plan).active is True

    stopped = anyone.post(url)
    assert stopped.status_code == 302 and stopped["Location"] == url
    assert ExerciseReminder.objects.get(plan=plan).active is False
    assert "Reminders stopped" in anyone.get(url).content.decode()
    assert anyone.post(url).status_code == 302  # a second tap changes nothing


def test_an_unknown_stop_token_is_404(db: None) -> None:
    assert Client().get("/care/reminders/stop/not-a-token/").status_code == 404
    assert Client().post("/care/reminders/stop/not-a-token/").status_code == 404


def test_the_reminder_page_sets_the_time(plan: CarePlan, patient: Patient) -> None:
    pat = Client()
    pat.force_login(patient.user)
    url = f"/care/plans/{plan.pk}/exercises/reminder/"
    assert pat.get(url).status_code == 200

    saved = pat.post(url, {"at": "07:45", "active": "on"})
    refused = pat.post(url, {"at": "", "active": "on"})

    assert saved.status_code == 302
    assert (ExerciseReminder.objects.get(plan=plan).at.isoformat(), ExerciseReminder.objects.get(plan=plan).active) == (
        "07:45:00",
        True,
    )
    assert refused.status_code == 400 and 'class="field-error"' in refused.content.decode()
