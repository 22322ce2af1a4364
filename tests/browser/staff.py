"""Signing a practitioner in with password and TOTP in Chromium, as a person would, and looking
at staff pages: shared by the workspace and plans-of-care walks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import base32_secret
from tests.accounts.factories import STAFF_PASSWORD
from tests.browser.journey import STAFF_TARGET, look_at


def look(page: Any, name: str, live_server: Any) -> None:
    """look_at with WCAG's 24 px minimum target: these are staff pages, not the patients'."""
    look_at(page, name, live_server, target=STAFF_TARGET)


def authenticator_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 from the typed-in secret, independent of django-otp."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in(page: Any, live_server: Any, user: User, prefix: str) -> None:
    page.goto(live_server.url + "/staff/signin/")
    look(page, f"{prefix}-1-password", live_server)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/signin/verify/**")
    look(page, f"{prefix}-2-code", live_server)
    secret = base32_secret(TOTPDevice.objects.get(user=user, confirmed=True))
    page.get_by_label("Code from your authenticator app, or a backup code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/staff/")
