from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.accounts.factories import STAFF_PASSWORD, make_staff
from tests.accounts.sign_in import totp_now

pytestmark = pytest.mark.django_db


def sign_in_with_password(client: Client, user: User, next_url: str = "") -> str:
    response = client.post("/staff/signin/", {"email": user.email, "password": STAFF_PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content
    return str(response["Location"])


def test_first_sign_in_forces_totp_enrolment_and_shows_backup_codes_once(client: Client) -> None:
    user = make_staff(User.Role.PRACTITIONER, totp=False)

    location = sign_in_with_password(client, user)
    assert location.startswith("/staff/signin/enrol/")
    page = client.get(location)
    assert page.status_code == 200
    assert b"<svg" in page.content, "the QR code is inline SVG"
    assert client.get("/staff/").status_code == 302, "no staff page before the second factor"

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    response = client.post(location, {"code": f"{totp.token():06d}"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<code>([a-z0-9]{8})</code>", codes_page.content.decode())

    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert client.get("/staff/backup-codes/").status_code == 302, "codes are shown only once"
    assert client.get("/staff/").status_code == 200


def test_an_enrolled_staff_member_signs_in_with_a_totp_code(client: Client, practitioner: User) -> None:
    location = sign_in_with_password(client, practitioner, next_url="/staff/")
    assert location.startswith("/staff/signin/verify/")

    response = client.post(location, {"code": totp_now(practitioner), "next": "/staff/"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_backup_code_works_once(client: Client, practitioner: User) -> None:
    from accounts.services import replace_backup_codes

    code = replace_backup_codes(practitioner)[0]
    sign_in_with_password(client, practitioner)
    assert client.post("/staff/signin/verify/", {"code": code}).status_code == 302

    other = Client()
    sign_in_with_password(other, practitioner)
    again = other.post("/staff/signin/verify/", {"code": code})
    assert again.status_code == 200
    assert b"not right" in again.content


def test_a_wrong_totp_code_is_refused(client: Client, practitioner: User) -> None:
    sign_in_with_password(client, practitioner)

    response = client.post("/staff/signin/verify/", {"code": "000000"})

    assert response.status_code == 200
    assert b"not right" in response.content
    assert client.get("/staff/").status_code == 302


def test_a_patient_cannot_use_the_staff_sign_in(client: Client) -> None:
    User.objects.create_user("p@example.com", STAFF_PASSWORD, role=User.Role.PATIENT)

    response = client.post("/staff/signin/", {"email": "p@example.com", "password": STAFF_PASSWORD})

    assert response.status_code == 200
    assert b"do not match a staff account" in response.content


def test_password_guessing_locks_out_after_five_failures(client: Client, practitioner: User) -> None:
    for _ in range(5):
        response = client.post("/staff/signin/", {"email": practitioner.email, "password": "wrong"})
    assert response.status_code in (200, 429)

    response = client.post("/staff/signin/", {"email": practitioner.email, "password": STAFF_PASSWORD})

    assert response.status_code == 429
    assert b"locked" in response.content
    assert b"Wait 30 minutes" in response.content
    assert response["Retry-After"] == str(30 * 60)
    assert "_auth_user_id" not in client.session
