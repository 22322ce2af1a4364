"""The clinic's library page (Django admin): a clinic admin adds an exercise with a picture to
their clinic's library, and a file that is not a picture is a field error."""

# Fixtures come from tests/care/exercise_fixtures.py by import; pytest sees them as arguments.
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from care.models import Exercise
from tests.accounts.sign_in import verified_staff_client
from tests.care.exercise_fixtures import picture
from tests.workspace.factories import Desk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
ADD = "/admin/care/exercise/add/"


def form(desk: Desk, upload: SimpleUploadedFile | None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "clinic": desk.clinic.pk,
        "name": "Wall push-ups",
        "instructions": "Stand an arm's length from a wall. Bend your elbows, then push back.",
        "sets": 2,
        "repetitions": 8,
        "hold_seconds": 0,
        "times_a_day": 1,
        "picture_alt": "Hands on a wall at shoulder height",
        "translations": "{}",
        "active": "on",
        **changes,
    }
    if upload is not None:
        data["upload"] = upload
    return data


def test_a_clinic_admin_adds_an_exercise_with_a_picture(desk: Desk) -> None:
    admin = verified_staff_client(desk.admin)

    response = admin.post(ADD, form(desk, SimpleUploadedFile("wall.png", picture("PNG"), "image/png")))

    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = Exercise.objects.get(name="Wall push-ups")
    assert (saved.clinic, saved.picture_type, saved.sets) == (desk.clinic, "image/png", 2)


def test_a_file_that_is_not_a_picture_is_a_field_error(desk: Desk) -> None:
    admin = verified_staff_client(desk.admin)

    response = admin.post(ADD, form(desk, SimpleUploadedFile("notes.png", b"not a picture", "image/png")))

    assert response.status_code == 200
    assert "Upload a picture in PNG, JPEG or WebP format." in response.content.decode()
    assert not Exercise.objects.exists()
