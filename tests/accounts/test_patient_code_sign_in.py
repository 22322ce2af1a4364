from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AccountEvent, Patient, User
from tests.accounts.sign_in import code_from_mail

START = "/api/v1/auth/patient/start"
VERIFY = "/api/v1/auth/patient/verify"

pytestmark = pytest.mark.django_db


def last_code() -> str:
    return code_from_mail()


def start(client: APIClient, email: str) -> None:
    response = client.post(START, {"email": email}, format="json")
    assert response.status_code == 202, response.content


def test_it_signs_in_a_new_patient_with_an_emailed_code(stranger: APIClient) -> None:
    start(stranger, "New.Person@Example.com")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert isinstance(mail.outbox[0], EmailMultiAlternatives)
    assert mail.outbox[0].alternatives, "the code email has an HTML part too"

    response = stranger.post(VERIFY, {"email": "new.person@example.com", "code": last_code()}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert Patient.objects.filter(user__email="new.person@example.com").exists()
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert me.get("/api/v1/me").json()["email"] == "new.person@example.com"
    assert AccountEvent.objects.filter(action=AccountEvent.Action.PATIENT_CREATED).count() == 1


def test_it_answers_known_and_unknown_addresses_identically(stranger: APIClient, patient: Patient) -> None:
    known = stranger.post(START, {"email": patient.user.email}, format="json")
    unknown = stranger.post(START, {"email": "nobody@example.com"}, format="json")

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert set(known.headers) == set(unknown.headers)
    assert not Patient.objects.filter(user__email="nobody@example.com").exists()


def test_it_refuses_a_reused_code(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    code = last_code()
    assert stranger.post(VERIFY, {"email": patient.user.email, "code": code}, format="json").status_code == 200

    again = stranger.post(VERIFY, {"email": patient.user.email, "code": code}, format="json")

    assert again.status_code == 400
    assert again.json()["code"] == "invalid_code"


def test_it_refuses_an_expired_code(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    code = last_code()

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = stranger.post(VERIFY, {"email": patient.user.email, "code": code}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_a_code_still_works_just_before_ten_minutes(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    code = last_code()

    with time_machine.travel(timezone.now() + timedelta(minutes=9, seconds=50)):
        response = stranger.post(VERIFY, {"email": patient.user.email, "code": code}, format="json")

    assert response.status_code == 200


def test_it_throttles_quick_wrong_guesses(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"

    first = stranger.post(VERIFY, {"email": patient.user.email, "code": wrong}, format="json")
    second = stranger.post(VERIFY, {"email": patient.user.email, "code": code}, format="json")

    assert first.status_code == 400
    assert second.status_code == 429
    assert second.json()["code"] == "too_many_attempts"
    assert int(second.headers["Retry-After"]) >= 1


def test_the_code_dies_after_five_wrong_tries(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    moment = timezone.now()
    for attempt in range(5):
        moment += timedelta(minutes=1)  # wait out django-otp's growing delay
        with time_machine.travel(moment):
            response = stranger.post(VERIFY, {"email": patient.user.email, "code": wrong}, format="json")
            assert response.status_code == 400, attempt

    with time_machine.travel(moment + timedelta(minutes=1)):
        response = stranger.post(VERIFY, {"email": patient.user.email, "code": code}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_a_new_code_gets_fresh_tries(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    stranger.post(VERIFY, {"email": patient.user.email, "code": "999999"}, format="json")

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        start(stranger, patient.user.email)
        response = stranger.post(VERIFY, {"email": patient.user.email, "code": last_code()}, format="json")

    assert response.status_code == 200


@pytest.mark.parametrize("body", [{"email": "not-an-email"}, {}, {"email": ""}, {"email": ["a@b.c"]}])
def test_it_rejects_a_malformed_email_with_field_errors(stranger: APIClient, body: dict[str, object]) -> None:
    before = User.objects.count()

    response = stranger.post(START, body, format="json")

    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid"
    assert "email" in payload["fields"]
    assert User.objects.count() == before
    assert mail.outbox == []


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", ""])
def test_it_rejects_a_malformed_code_with_field_errors(stranger: APIClient, code: str) -> None:
    response = stranger.post(VERIFY, {"email": "x@example.com", "code": code}, format="json")

    assert response.status_code == 400
    assert "code" in response.json()["fields"]


def test_staff_cannot_get_a_patient_token(stranger: APIClient, practitioner: User) -> None:
    start(stranger, practitioner.email)

    assert mail.outbox == []
    assert not hasattr(User.objects.get(pk=practitioner.pk), "patient")


def test_it_limits_code_requests_per_address_of_the_caller(stranger: APIClient) -> None:
    statuses = [stranger.post(START, {"email": f"p{i}@example.com"}, format="json").status_code for i in range(11)]

    assert statuses[:10] == [202] * 10
    assert statuses[10] == 429


def test_it_does_not_resend_within_the_cooldown(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)
    start(stranger, patient.user.email)

    assert len(mail.outbox) == 1


def test_it_limits_code_requests_per_email_from_any_address(patient: Patient) -> None:
    statuses = []
    for i in range(6):
        client = APIClient(REMOTE_ADDR=f"198.51.100.{i + 1}")
        statuses.append(client.post(START, {"email": "PAT@example.com "}, format="json").status_code)

    assert statuses == [202] * 5 + [429]
