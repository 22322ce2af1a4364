from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient
from tests.accounts.sign_in import code_from_mail

pytestmark = pytest.mark.django_db


def test_a_patient_signs_in_on_the_web_with_a_code(client: Client) -> None:
    response = client.post("/signin/", {"email": "web@example.com", "next": "/account/"})
    assert response.status_code == 302
    code = code_from_mail()

    response = client.post("/signin/code/", {"code": code, "next": "/account/"})

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200
    assert b"web@example.com" in page.content


def test_a_wrong_code_is_announced_and_linked_to_its_field(client: Client) -> None:
    client.post("/signin/", {"email": "web@example.com"})

    page = client.post("/signin/code/", {"code": "12"})

    html = page.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_code"' in html
    assert 'aria-describedby="id_code-error"' in html
    assert 'aria-invalid="true"' in html


def test_the_profile_page_rejects_a_bad_phone_and_keeps_the_old_one(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")

    page = client.post("/account/", {"legal_name": "Pat Example", "phone": "12345", "notify_email": "on"})

    assert page.status_code == 200
    assert b"country code" in page.content
    assert Patient.objects.get(pk=patient.pk).phone == ""


def test_the_profile_page_saves_valid_details(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        "/account/",
        {
            "legal_name": "Pat Q Example",
            "date_of_birth": "1991-02-03",
            "phone": "+353 85 123 4567",
            "time_zone": "Europe/Dublin",
            "notify_email": "on",
        },
    )

    assert response.status_code == 302
    fresh = Patient.objects.get(pk=patient.pk)
    assert (fresh.legal_name, fresh.phone, fresh.time_zone) == ("Pat Q Example", "+353851234567", "Europe/Dublin")


def test_an_open_redirect_is_refused(client: Client) -> None:
    client.post("/signin/", {"email": "web@example.com"})
    code = code_from_mail()

    response = client.post("/signin/code/", {"code": code, "next": "https://evil.example/"})

    assert response["Location"] == "/account/"
