"""Staff passkeys (django-otp-webauthn) beside TOTP: the sign-in steps, the security page's
list and remove rules (never the last factor), a passkey-verified session on every staff
surface, the ceremony endpoints' refusals, and what admins see. The real WebAuthn ceremony
runs in Chromium: tests/browser/test_staff_passkeys.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import selectors, services
from accounts.models import AccountEvent, Patient, User
from tests.accounts.factories import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def add_passkey(user: User, n: int = 1) -> WebAuthnCredential:
    """A stored credential row, as registration leaves it (the keys are never used here)."""
    return WebAuthnCredential.objects.create(
        user=user, confirmed=True, credential_id=f"credential-{user.pk}-{n}".encode(), public_key=b"key", sign_count=0
    )


def password_only(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def verified_with(user: User, device: TOTPDevice | WebAuthnCredential) -> Client:
    client = password_only(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def passkey_only(role: User.Role = User.Role.PRACTITIONER) -> tuple[User, WebAuthnCredential]:
    user = make_staff(role, totp=False)
    return user, add_passkey(user)


def messages_on(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


# --- Sign-in steps --------------------------------------------------------------------------


def test_it_sends_a_passkey_holder_without_an_app_to_verify_not_to_enrol() -> None:
    user, _ = passkey_only()

    response = Client().post("/staff/signin/", {"email": user.email, "password": STAFF_PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/signin/verify/")


def test_the_verify_page_offers_a_passkey_only_to_someone_who_has_one() -> None:
    with_app = make_staff()
    with_both = make_staff()
    add_passkey(with_both)

    plain = password_only(with_app).get("/staff/signin/verify/").content.decode()
    both = password_only(with_both).get("/staff/signin/verify/").content.decode()

    assert "passkey-verification-button" not in plain and "otp_webauthn_config" not in plain
    assert 'id="passkey-verification-button"' in both
    assert 'id="otp_webauthn_config"' in both
    assert "Passkeys need JavaScript" in both, "a browser without JavaScript is told, and still has the code form"
    assert "Code from your authenticator app, or a backup code" in both


def test_a_passkey_holder_without_an_app_can_use_a_backup_code() -> None:
    user, _ = passkey_only()
    codes = services.replace_backup_codes(user)
    client = password_only(user)

    page = client.get("/staff/signin/verify/").content.decode()
    response = client.post("/staff/signin/verify/", {"code": codes[0]})

    assert "Backup code" in page
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_a_wrong_backup_code_is_refused_in_words_that_fit() -> None:
    user, _ = passkey_only()
    services.replace_backup_codes(user)

    response = password_only(user).post("/staff/signin/verify/", {"code": "nonsense"})

    assert "That backup code is not right, or it has been used already." in response.content.decode()
    assert AccountEvent.objects.filter(action=AccountEvent.Action.STAFF_OTP_REJECTED, user=user).exists()


def test_the_password_alone_cannot_add_an_app_to_a_passkey_holder() -> None:
    user, _ = passkey_only()

    response = password_only(user).get("/staff/signin/enrol/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/signin/verify/")
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_passkey_holder_adds_the_app_back_once_verified() -> None:
    user, passkey = passkey_only()
    client = verified_with(user, passkey)

    page = client.get("/staff/security/").content.decode()
    enrol = client.get("/staff/signin/enrol/")

    assert "Set up an authenticator app" in page
    assert enrol.status_code == 200 and "Set up two-step sign-in" in enrol.content.decode()


# --- A passkey-verified session ---------------------------------------------------------


def test_a_passkey_verified_session_counts_as_verified_for_staff_pages_api_and_admin() -> None:
    admin, passkey = passkey_only(User.Role.CLINIC_ADMIN)
    client = verified_with(admin, passkey)

    assert client.get("/staff/security/").status_code == 200
    assert client.get("/api/v1/staff/me").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_password_only_session_of_a_passkey_holder_is_not_verified() -> None:
    admin, _ = passkey_only(User.Role.CLINIC_ADMIN)
    client = password_only(admin)

    assert client.get("/staff/security/")["Location"].startswith("/staff/signin/")
    assert client.get("/api/v1/staff/me").status_code == 403
    assert client.get("/admin/").status_code == 302


def test_a_removed_passkey_no_longer_verifies_a_session() -> None:
    user = make_staff()
    passkey = add_passkey(user)
    client = verified_with(user, passkey)
    passkey.delete()

    assert client.get("/staff/security/").status_code == 302


# --- The security page: list and remove -------------------------------------------------------


def test_it_lists_the_app_passkeys_and_backup_codes_left() -> None:
    user = make_staff()
    add_passkey(user, 1)
    add_passkey(user, 2)
    services.replace_backup_codes(user)
    client = verified_with(user, TOTPDevice.objects.get(user=user))

    page = client.get("/staff/security/").content.decode()

    assert "On: codes from your authenticator app" in page
    assert "Remove passkey 1" in page and "Remove passkey 2" in page
    assert "10 unused backup codes left" in page
    assert 'id="passkey-register-button"' in page and 'id="otp_webauthn_config"' in page


def test_it_removes_a_passkey_while_the_app_remains() -> None:
    user = make_staff()
    passkey = add_passkey(user)
    client = verified_with(user, TOTPDevice.objects.get(user=user))

    response = client.post(f"/staff/security/passkeys/{passkey.pk}/remove/", follow=True)

    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert "Passkey removed. It can no longer be used to sign in." in messages_on(response)
    event = AccountEvent.objects.get(action=AccountEvent.Action.STAFF_PASSKEY_REMOVED)
    assert event.user == user and event.data["device"].endswith(f"/{passkey.pk}")


def test_it_refuses_to_remove_the_last_passkey() -> None:
    user, passkey = passkey_only()
    client = verified_with(user, passkey)

    page = client.get("/staff/security/").content.decode()
    response = client.post(f"/staff/security/passkeys/{passkey.pk}/remove/", follow=True)

    assert "Remove passkey 1" not in page, "the button is not offered"
    assert "cannot be removed" in page
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert services.LAST_FACTOR.message in messages_on(response)
    assert not AccountEvent.objects.filter(action=AccountEvent.Action.STAFF_PASSKEY_REMOVED).exists()


def test_it_refuses_to_remove_the_app_when_it_is_the_only_factor() -> None:
    user = make_staff()
    client = verified_with(user, TOTPDevice.objects.get(user=user))

    response = client.post("/staff/security/authenticator/remove/", follow=True)

    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert services.LAST_FACTOR.message in messages_on(response)


def test_it_removes_the_app_while_a_passkey_remains_and_the_session_stays_verified() -> None:
    user = make_staff()
    add_passkey(user)
    client = verified_with(user, TOTPDevice.objects.get(user=user))

    response = client.post("/staff/security/authenticator/remove/", follow=True)

    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/staff/security/"
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AccountEvent.objects.filter(action=AccountEvent.Action.STAFF_TOTP_REMOVED, user=user).exists()
    assert client.get("/staff/security/").status_code == 200, "still verified, now by the passkey"


def test_backup_codes_do_not_count_as_a_factor_to_keep() -> None:
    user, passkey = passkey_only()
    services.replace_backup_codes(user)

    with pytest.raises(services.FactorError) as refused:
        services.remove_passkey(user, passkey_id=passkey.pk)

    assert refused.value.code == "last_factor"


def test_it_refuses_to_remove_someone_elses_passkey() -> None:
    owner = make_staff()
    theirs = add_passkey(owner)
    add_passkey(owner, 2)
    intruder = make_staff()
    client = verified_with(intruder, TOTPDevice.objects.get(user=intruder))

    response = client.post(f"/staff/security/passkeys/{theirs.pk}/remove/", follow=True)

    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
    assert "That passkey is not on your account. It may already be removed." in messages_on(response)


def test_removing_needs_post_and_a_verified_session() -> None:
    user = make_staff()
    passkey = add_passkey(user)

    assert verified_with(user, passkey).get(f"/staff/security/passkeys/{passkey.pk}/remove/").status_code == 405
    assert password_only(user).post(f"/staff/security/passkeys/{passkey.pk}/remove/").status_code == 302
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


# --- The ceremony endpoints ---------------------------------------------------------------------


def assert_refusal(response: object, status: int, code: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"code", "detail", "fields"} and body["code"] == code, body


def test_a_password_only_session_cannot_add_a_passkey() -> None:
    user = make_staff()  # has an app, so the library refuses too; a practitioner without one:
    no_factor = make_staff(totp=False)

    assert_refusal(password_only(user).post("/staff/passkeys/registration/begin/"), 403, "user_not_verified")
    assert_refusal(password_only(no_factor).post("/staff/passkeys/registration/begin/"), 403, "user_not_verified")


def test_patients_and_strangers_cannot_use_the_passkey_endpoints(patient: Patient) -> None:
    patient_client = password_only(patient.user)

    assert_refusal(patient_client.post("/staff/passkeys/registration/begin/"), 403, "user_not_verified")
    assert_refusal(patient_client.post("/staff/passkeys/authentication/begin/"), 403, "not_authenticated")
    assert_refusal(Client().post("/staff/passkeys/authentication/begin/"), 403, "not_authenticated")
    assert_refusal(Client().post("/staff/passkeys/registration/begin/"), 403, "not_authenticated")


def test_a_verified_staff_member_gets_registration_options_for_the_configured_site() -> None:
    user = make_staff()
    client = verified_with(user, TOTPDevice.objects.get(user=user))

    options = client.post("/staff/passkeys/registration/begin/").json()

    assert options["rp"] == {"id": "localhost", "name": "Acus"}
    assert options["user"]["name"] == user.email


FORGED = (
    '{"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "AA", '
    '"attestationObject": "AA", "authenticatorData": "AA", "signature": "AA", "userHandle": 5}}'
)


@pytest.mark.parametrize(
    "body",
    ["{}", "[]", "null", '"text"', '{"id": "x", "rawId": "x", "response": {}, "type": "public-key"}', FORGED, "nope"],
)
def test_bad_passkey_sign_in_answers_get_a_clear_4xx_in_the_error_shape(body: str) -> None:
    user = make_staff()
    add_passkey(user)
    client = password_only(user)
    assert client.post("/staff/passkeys/authentication/begin/").status_code == 200

    response = client.post("/staff/passkeys/authentication/complete/", body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "detail", "fields"}
    assert client.get("/staff/security/").status_code == 302, "still not verified"


@pytest.mark.parametrize("body", ["{}", "null", '{"response": "x"}', FORGED, "nope"])
def test_bad_passkey_registrations_get_a_clear_4xx_and_add_nothing(body: str) -> None:
    user = make_staff()
    client = verified_with(user, TOTPDevice.objects.get(user=user))
    assert client.post("/staff/passkeys/registration/begin/").status_code == 200

    response = client.post("/staff/passkeys/registration/complete/", body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "detail", "fields"}
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_completing_without_beginning_is_refused() -> None:
    user = make_staff()
    client = password_only(user)

    response = client.post("/staff/passkeys/authentication/complete/", "{}", content_type="application/json")

    assert_refusal(response, 400, "invalid_state")


# --- What admins see -------------------------------------------------------------------------


def test_admins_see_who_has_which_factors() -> None:
    admin = make_staff(User.Role.CLINIC_ADMIN, "boss@example.com")
    app_only = make_staff(email="app@example.com")
    services.replace_backup_codes(app_only)
    StaticToken.objects.filter(device__user=app_only)[0].delete()
    keys_only, _ = passkey_only()
    add_passkey(keys_only, 2)
    client = verified_with(admin, TOTPDevice.objects.get(user=admin))

    annotated = [vars(u) for u in selectors.with_second_factors(User.objects.all())]
    rows = {u["email"]: (u["has_totp"], u["passkey_count"], u["backup_codes_left"]) for u in annotated}
    listing = client.get("/admin/accounts/user/").content.decode()
    detail = client.get(f"/admin/accounts/user/{keys_only.pk}/change/").content.decode()

    assert rows["app@example.com"] == (True, 0, 9)
    assert rows[keys_only.email] == (False, 2, 0)
    assert rows["boss@example.com"] == (True, 0, 0)
    for heading in ("Authenticator app", "Passkeys", "Backup codes left"):
        assert heading in listing
    assert '<td class="field-passkeys">2</td>' in listing
    assert '<td class="field-backup_codes_left">9</td>' in listing
    assert "Second factors" in detail
    assert '<div class="readonly">2</div>' in detail, "the passkey count on the person's page"
    assert StaticDevice.objects.filter(user=app_only).exists()
