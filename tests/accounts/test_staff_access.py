from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Patient, User
from tests.accounts.sign_in import api_as, verified_staff_client

pytestmark = pytest.mark.django_db


def test_the_admin_refuses_staff_without_otp(client: Client, clinic_admin: User) -> None:
    client.force_login(clinic_admin, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(response["Location"])["Location"].startswith("/staff/signin/")


def test_the_admin_admits_an_otp_verified_clinic_admin(clinic_admin: User) -> None:
    client = verified_staff_client(clinic_admin)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/patient/").status_code == 200


def test_the_staff_api_refuses_a_session_without_otp(client: Client, practitioner: User) -> None:
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/api/v1/staff/me")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_staff_api_admits_an_otp_verified_session(practitioner: User) -> None:
    client = verified_staff_client(practitioner)

    response = client.get("/api/v1/staff/me")

    assert response.status_code == 200
    assert response.json() == {"email": practitioner.email, "role": "practitioner", "verified": True}


def test_a_patient_token_never_reaches_a_staff_endpoint(patient: Patient) -> None:
    assert api_as(patient).get("/api/v1/staff/me").status_code == 403


def test_a_staff_token_without_a_session_is_refused(practitioner: User) -> None:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=practitioner).key}")

    assert client.get("/api/v1/staff/me").status_code == 403


def test_staff_pages_send_an_unverified_session_to_sign_in(client: Client, practitioner: User) -> None:
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/signin/")
