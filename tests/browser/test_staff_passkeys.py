"""Staff passkeys in real Chromium with a virtual authenticator (DevTools' WebAuthn domain:
CTAP2, built in, resident keys, user verification): a practitioner signs in with password
and TOTP, adds a passkey, signs out, signs in with password and the passkey (no code),
sees it listed and removes it. Every page is checked with axe-core and kept as a screenshot.

WebAuthn needs a secure context: pytest-django's live server is http://localhost:PORT,
which is one, and `localhost` is the relying party id (an IP address never is)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import AccountEvent, User
from tests.accounts.factories import STAFF_PASSWORD, make_staff
from tests.accounts.sign_in import totp_now
from tests.browser.journey import STAFF_TARGET, look_at
from tests.browser.kit import as_without_javascript, without_javascript

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}


@pytest.fixture
def passkey_site(live_server: Any) -> Iterator[str]:
    """The relying party the live server is: localhost, on its port."""
    assert urlsplit(live_server.url).hostname == "localhost", live_server.url
    with override_settings(OTP_WEBAUTHN_RP_ID="localhost", OTP_WEBAUTHN_ALLOWED_ORIGINS=[live_server.url]):
        yield live_server.url


@pytest.fixture
def page_with_authenticator(browser: Any) -> Iterator[Any]:
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.profile = "desktop"
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    page.authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    page.devtools = devtools
    yield page
    context.close()


def look(page: Any, name: str, live_server: Any) -> None:
    look_at(page, name, live_server, target=STAFF_TARGET)


def password_step(page: Any, site: str, user: User) -> None:
    page.goto(f"{site}/staff/signin/?next=/staff/security/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/signin/verify/**")


def test_a_practitioner_adds_a_passkey_signs_in_with_it_and_removes_it(
    page_with_authenticator: Any, passkey_site: str, live_server: Any
) -> None:
    page = page_with_authenticator
    user = make_staff(User.Role.PRACTITIONER, "alex@example.com")

    # Password and TOTP, as before passkeys: the verify page has no passkey button yet.
    password_step(page, passkey_site, user)
    assert page.get_by_role("button", name="Sign in with a passkey").count() == 0
    page.get_by_label("Code from your authenticator app, or a backup code").fill(totp_now(user))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/staff/security/")
    look(page, "passkeys-1-security", live_server)

    # Add a passkey: the library's script runs the ceremony; ours shows the page again.
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_role("button", name="Remove passkey 1").wait_for()
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    credentials = page.devtools.send("WebAuthn.getCredentials", {"authenticatorId": page.authenticator})
    assert len(credentials["credentials"]) == 1, "the key lives in the authenticator"
    assert AccountEvent.objects.filter(action=AccountEvent.Action.STAFF_PASSKEY_ADDED, user=user).exists()
    look(page, "passkeys-2-added", live_server)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")

    # Password, then the passkey: no code typed.
    password_step(page, passkey_site, user)
    look(page, "passkeys-3-verify", live_server)
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url("**/staff/security/")
    verified = AccountEvent.objects.filter(action=AccountEvent.Action.STAFF_OTP_VERIFIED, user=user).latest("at")
    assert verified.data["device"].startswith("django_otp_webauthn.")

    # Listed, with its use recorded; then removed (the app remains, so it may go).
    assert page.get_by_text("Last used").is_visible()
    page.get_by_role("button", name="Remove passkey 1").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Passkey removed. It can no longer be used to sign in.").is_visible()
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert page.get_by_role("heading", name="Sign-in security").is_visible(), "still signed in"
    look(page, "passkeys-4-removed", live_server)


def test_without_javascript_the_code_form_works_and_the_page_says_why_there_is_no_passkey_button(
    browser: Any, passkey_site: str, live_server: Any
) -> None:
    user = make_staff(User.Role.PRACTITIONER, "robin@example.com")
    WebAuthnCredential.objects.create(user=user, confirmed=True, credential_id=b"k", public_key=b"k", sign_count=0)

    with without_javascript(browser, DESKTOP, "desktop-nojs") as page:
        password_step(page, passkey_site, user)
        assert page.get_by_role("button", name="Sign in with a passkey").count() == 0
        shown = as_without_javascript(page)  # what the browser shows: <noscript> is read as text
        assert shown.get_by_text("Passkeys need JavaScript, which is off in this browser.").is_visible()
        look(page, "passkeys-nojs-verify", live_server)
        page.get_by_label("Code from your authenticator app, or a backup code").fill(totp_now(user))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url("**/staff/security/")
        shown = as_without_javascript(page)
        assert shown.get_by_text("Adding a passkey needs JavaScript, which is off in this browser.").is_visible()
        assert shown.get_by_role("button", name="Add a passkey").count() == 0
        look(page, "passkeys-nojs-security", live_server)
