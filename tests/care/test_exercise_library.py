"""The clinic's exercise library and a plan's prescriptions over the staff API: a clinic's own
only, pictures checked with Pillow, the library's dose as the default, and pictures served only
to the clinic's staff and to patients whose plan uses them."""

# Fixtures come from tests/care/exercise_fixtures.py by import; pytest sees them as arguments.
# ruff: noqa: F811
from __future__ import annotations

import io
import json
import os
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from accounts.models import Patient
from booking.models import Clinic
from care.models import CarePlan, Exercise, PlanExercise, PlanStatus
from tests.accounts.sign_in import api_as
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.exercise_fixtures import (  # noqa: F401
    LIBRARY,
    alex,
    b64,
    chin_tucks,
    exercise_body,
    picture,
    plan,
    prescribed,
)
from tests.care.plans import post
from tests.workspace.factories import Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def elsewhere() -> Client:
    clinic: Clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    make_type(clinic, minutes=30, name="Elsewhere treatment")
    return staff_client(make_practitioner(clinic, name="Sam Else").user)


def patch(client: Client, url: str, data: dict[str, object]) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_staff_add_an_exercise_with_a_picture_that_is_re_encoded(alex: Client, desk: Desk) -> None:
    original = picture("JPEG")
    response = post(alex, LIBRARY, exercise_body(desk, picture=b64(original), picture_alt="Sitting tall"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dose"] == {
        "sets": 3,
        "repetitions": 10,
        "hold_seconds": 5,
        "times_a_day": 2,
        "words": "3 sets of 10, hold 5 seconds, twice a day",
    }
    assert body["picture"]["type"] == "image/jpeg" and body["picture"]["alt"] == "Sitting tall"
    served = alex.get(body["picture"]["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (40, 30)
    assert [e["name"] for e in alex.get(LIBRARY).json()] == ["Chin tucks"]


def test_a_picture_that_is_not_an_image_is_a_field_error(alex: Client, desk: Desk) -> None:
    for text in (b64(b"%PDF-1.4 not a picture"), b64(picture("GIF")), "not base64 !"):
        response = post(alex, LIBRARY, exercise_body(desk, picture=text, picture_alt="x"))
        assert response.status_code == 400, response.content
        assert list(response.json()["fields"]) == ["picture"]
    assert not Exercise.objects.exists()


def test_an_oversized_picture_is_a_field_error(alex: Client, desk: Desk) -> None:
    # Noise does not compress: a 700 x 700 PNG of it is well over 1 MB.
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert out.tell() > 1_000_000

    response = post(alex, LIBRARY, exercise_body(desk, picture=b64(out.getvalue()), picture_alt="Noise"))

    assert response.status_code == 400
    assert "1 MB" in response.json()["fields"]["picture"][0]


def test_a_picture_needs_its_description(alex: Client, desk: Desk) -> None:
    response = post(alex, LIBRARY, exercise_body(desk, picture=b64(picture())))

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["picture_alt"]


def test_names_are_unique_in_a_clinics_library(alex: Client, desk: Desk, chin_tucks: Exercise) -> None:
    response = post(alex, LIBRARY, exercise_body(desk))

    assert response.status_code == 400 and list(response.json()["fields"]) == ["name"]


def test_staff_of_another_clinic_get_404_and_cannot_add_to_it(
    elsewhere: Client, desk: Desk, chin_tucks: Exercise, plan: CarePlan, prescribed: PlanExercise
) -> None:
    assert elsewhere.get(f"{LIBRARY}/{chin_tucks.pk}").status_code == 404
    assert patch(elsewhere, f"{LIBRARY}/{chin_tucks.pk}", {"sets": 1}).status_code == 404
    assert elsewhere.delete(f"{LIBRARY}/{chin_tucks.pk}").status_code == 404
    assert elsewhere.get(LIBRARY).json() == []
    assert elsewhere.get(f"/care/exercises/{chin_tucks.pk}/picture/").status_code == 404
    plan_url = f"/api/v1/staff/care-plans/{plan.pk}"
    assert elsewhere.get(f"{plan_url}/exercises").status_code == 404
    assert post(elsewhere, f"{plan_url}/exercises", {"exercise": chin_tucks.pk}).status_code == 404
    assert patch(elsewhere, f"{plan_url}/exercises/{prescribed.pk}", {"sets": 1}).status_code == 404
    assert elsewhere.delete(f"{plan_url}/exercises/{prescribed.pk}").status_code == 404
    assert elsewhere.get(f"{plan_url}/adherence").status_code == 404
    refused = post(elsewhere, LIBRARY, exercise_body(desk))
    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["clinic"]


def test_a_prescription_takes_the_librarys_dose_unless_given(
    alex: Client, plan: CarePlan, chin_tucks: Exercise
) -> None:
    url = f"/api/v1/staff/care-plans/{plan.pk}/exercises"

    default = post(alex, url, {"exercise": chin_tucks.pk})
    own = post(alex, url, {"exercise": chin_tucks.pk, "sets": 1, "note": "Only on good days"})

    assert default.status_code == own.status_code == 201, own.content
    assert default.json()["dose"]["words"] == "3 sets of 10, hold 5 seconds, twice a day"
    assert own.json()["dose"]["words"] == "1 set of 10, hold 5 seconds, twice a day"
    assert (default.json()["start_on"], own.json()["note"]) == ("2026-06-01", "Only on good days")
    assert [row["id"] for row in alex.get(url).json()] == [default.json()["id"], own.json()["id"]]


def test_staff_change_the_dose_and_stop_a_prescription(alex: Client, plan: CarePlan, prescribed: PlanExercise) -> None:
    url = f"/api/v1/staff/care-plans/{plan.pk}/exercises/{prescribed.pk}"

    changed = patch(alex, url, {"times_a_day": 1, "hold_seconds": 0})
    stopped = alex.delete(url)

    assert changed.json()["dose"]["words"] == "3 sets of 10, once a day"
    assert stopped.json()["stopped_on"] == "2026-06-01"
    assert patch(alex, url, {"sets": 11}).status_code == 400


def test_stopping_an_exercise_of_a_closed_plan_is_refused_with_a_409(
    alex: Client, plan: CarePlan, prescribed: PlanExercise
) -> None:
    # A fuzzer found this a 500: the closed plan's refusal escaped the API's error mapping.
    CarePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.COMPLETED)

    refused = alex.delete(f"/api/v1/staff/care-plans/{plan.pk}/exercises/{prescribed.pk}")

    assert refused.status_code == 409 and refused.json()["code"] == "plan_closed", refused.content
    prescribed.refresh_from_db()
    assert prescribed.stopped_on is None


def test_a_retired_exercise_cannot_be_prescribed_but_plans_keep_it(
    alex: Client, plan: CarePlan, prescribed: PlanExercise, chin_tucks: Exercise
) -> None:
    assert alex.delete(f"{LIBRARY}/{chin_tucks.pk}").status_code == 204
    assert alex.get(f"{LIBRARY}/{chin_tucks.pk}").status_code == 404, "it has left the library"
    assert alex.delete(f"{LIBRARY}/{chin_tucks.pk}").status_code == 404
    assert chin_tucks.pk not in [e["id"] for e in alex.get(LIBRARY).json()]
    assert [e["active"] for e in alex.get(f"{LIBRARY}?retired=true").json() if e["id"] == chin_tucks.pk] == [False]

    refused = post(alex, f"/api/v1/staff/care-plans/{plan.pk}/exercises", {"exercise": chin_tucks.pk})

    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["exercise"]
    assert len(alex.get(f"/api/v1/staff/care-plans/{plan.pk}/exercises").json()) == 1


def test_the_picture_is_served_to_the_patient_whose_plan_uses_it_only(
    patient: Patient, other_patient: Patient, prescribed: PlanExercise, chin_tucks: Exercise
) -> None:
    url = f"/care/exercises/{chin_tucks.pk}/picture/"
    pat, olive = Client(), Client()
    pat.force_login(patient.user)
    olive.force_login(other_patient.user)

    assert pat.get(url).status_code == 200
    assert pat.get(url)["Cache-Control"].startswith("private")
    assert olive.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    today = api_as(patient).get(f"/api/v1/care-plans/{prescribed.plan_id}/exercises/today").json()
    assert today["exercises"][0]["picture"]["url"] == url


def test_a_picture_can_be_replaced_and_removed(alex: Client, chin_tucks: Exercise) -> None:
    url = f"{LIBRARY}/{chin_tucks.pk}"

    replaced = patch(alex, url, {"picture": b64(picture("WEBP"))})
    removed = patch(alex, url, {"picture": None})

    assert replaced.json()["picture"]["type"] == "image/webp"
    assert removed.json()["picture"] is None
