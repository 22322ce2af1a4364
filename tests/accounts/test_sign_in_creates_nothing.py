"""Starting a sign-in writes only a hashed challenge: no account until the code is verified."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.codes import email_hash
from accounts.models import AccountEvent, Patient, SignInChallenge, User
from tests.accounts.sign_in import code_from_mail, verified_staff_client

START = "/api/v1/auth/patient/start"
VERIFY = "/api/v1/auth/patient/verify"

pytestmark = pytest.mark.django_db


def account_rows() -> dict[str, int]:
    """Every row that belongs to a person's account."""
    return {
        "users": User.objects.count(),
        "patients": Patient.objects.count(),
        "tokens": Token.objects.count(),
        "email devices": EmailDevice.objects.count(),
        "totp devices": TOTPDevice.objects.count(),
        "backup code devices": StaticDevice.objects.count(),
        "events naming a user": AccountEvent.objects.filter(user__isnull=False).count(),
    }


def start(client: APIClient, email: str) -> None:
    response = client.post(START, {"email": email}, format="json")
    assert response.status_code == 202, response.content


def test_it_creates_no_account_for_a_hundred_unknown_addresses(
    stranger: APIClient, patient: Patient, throttle_rates: Callable[..., None]
) -> None:
    throttle_rates(sign_in_start="1000/hour")
    before = account_rows()
    emails = [f"{secrets.token_hex(6)}@example.com" for _ in range(100)]

    for email in emails:
        start(stranger, email)

    assert account_rows() == before
    assert len(mail.outbox) == 100, "each address got its code"
    assert SignInChallenge.objects.count() == 100
    sent = AccountEvent.objects.filter(action=AccountEvent.Action.PATIENT_CODE_SENT)
    assert sorted(sent.values_list("email_hash", flat=True)) == sorted(email_hash(e) for e in emails)
    assert not sent.filter(user__isnull=False).exists()


def test_verifying_the_right_code_creates_exactly_one_user(stranger: APIClient) -> None:
    start(stranger, "First.Timer@Example.com")
    code = code_from_mail()
    wrong = "000000" if code != "000000" else "111111"

    refused = stranger.post(VERIFY, {"email": "first.timer@example.com", "code": wrong}, format="json")
    assert refused.status_code == 400
    assert not User.objects.filter(email="first.timer@example.com").exists()

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the 1 s delay after a wrong try
        accepted = stranger.post(VERIFY, {"email": "first.timer@example.com", "code": code}, format="json")
        again = stranger.post(VERIFY, {"email": "first.timer@example.com", "code": code}, format="json")

    assert accepted.status_code == 200
    assert again.status_code == 400
    assert User.objects.filter(email="first.timer@example.com").count() == 1
    user = User.objects.get(email="first.timer@example.com")
    assert Patient.objects.filter(user=user).count() == 1
    assert not user.has_usable_password()
    assert not SignInChallenge.objects.exists(), "a used code is gone"
    actions = AccountEvent.objects.filter(email_hash=email_hash("first.timer@example.com")).order_by("at", "pk")
    assert [(e.action, e.user_id) for e in actions] == [
        (AccountEvent.Action.PATIENT_CODE_SENT, None),
        (AccountEvent.Action.PATIENT_CODE_REJECTED, None),
        (AccountEvent.Action.PATIENT_CREATED, user.pk),
        (AccountEvent.Action.PATIENT_SIGNED_IN, user.pk),
    ]


def test_a_known_patient_goes_through_the_same_challenge(stranger: APIClient, patient: Patient) -> None:
    start(stranger, patient.user.email)

    challenge = SignInChallenge.objects.get()
    assert challenge.email_hash == email_hash(patient.user.email)
    event = AccountEvent.objects.get(action=AccountEvent.Action.PATIENT_CODE_SENT)
    assert (event.user_id, event.email_hash) == (patient.user.pk, challenge.email_hash)
    response = stranger.post(VERIFY, {"email": patient.user.email, "code": code_from_mail()}, format="json")
    assert response.status_code == 200
    assert User.objects.filter(email=patient.user.email).count() == 1


def test_it_keeps_neither_the_address_nor_the_code(stranger: APIClient) -> None:
    start(stranger, "private.person@example.com")
    code = code_from_mail()

    stored = SignInChallenge.objects.values().get()
    text = " ".join(str(value) for value in stored.values())
    assert "private" not in text and "example.com" not in text
    assert code not in stored["code_hash"]
    assert len(stored["email_hash"]) == len(stored["code_hash"]) == 64
    assert "private" not in str(AccountEvent.objects.values().get())


def test_it_purges_expired_challenges_when_the_next_code_is_asked_for(stranger: APIClient) -> None:
    start(stranger, "early@example.com")

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        start(stranger, "later@example.com")

    assert list(SignInChallenge.objects.values_list("email_hash", flat=True)) == [email_hash("later@example.com")]


def test_a_staff_address_gets_no_challenge(stranger: APIClient, practitioner: User) -> None:
    start(stranger, practitioner.email)

    assert not SignInChallenge.objects.exists()
    assert mail.outbox == []
    refused = stranger.post(VERIFY, {"email": practitioner.email, "code": "123456"}, format="json")
    assert refused.status_code == 400


def test_a_code_sent_before_the_address_became_staff_is_refused(stranger: APIClient) -> None:
    start(stranger, "soon.staff@example.com")
    User.objects.create_user("soon.staff@example.com", role=User.Role.PRACTITIONER)

    response = stranger.post(VERIFY, {"email": "soon.staff@example.com", "code": code_from_mail()}, format="json")

    assert response.status_code == 400
    assert not Patient.objects.exists()


def test_the_page_signs_in_a_new_patient_without_an_account_made_in_advance(client: Client) -> None:
    asked = client.post("/signin/", {"email": "page.person@example.com"})
    assert asked.status_code == 302
    assert not User.objects.filter(email="page.person@example.com").exists()

    signed_in = client.post("/signin/code/", {"code": code_from_mail()})

    assert signed_in.status_code == 302
    assert User.objects.filter(email="page.person@example.com").count() == 1


def test_the_admin_finds_the_sign_in_events_of_an_address_without_an_account(
    stranger: APIClient, clinic_admin: User
) -> None:
    start(stranger, "Curious@Example.com")
    start(stranger, "other@example.com")

    page = verified_staff_client(clinic_admin).get("/admin/accounts/accountevent/", {"q": "curious@example.com"})

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1


def test_quick_wrong_guesses_are_told_in_plain_words(stranger: APIClient) -> None:
    start(stranger, "hasty@example.com")
    code = code_from_mail()
    wrong = "000000" if code != "000000" else "111111"
    stranger.post(VERIFY, {"email": "hasty@example.com", "code": wrong}, format="json")

    response = stranger.post(VERIFY, {"email": "hasty@example.com", "code": code}, format="json")

    assert response.status_code == 429
    assert response.json()["detail"] == "Too many wrong codes. Wait a moment and try again."
