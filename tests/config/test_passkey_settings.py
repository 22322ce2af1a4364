"""The relying party staff passkeys are bound to comes from SITE_URL, or is set outright;
production settings with it still pass `check --deploy` (django-otp-webauthn's checks too)."""

from __future__ import annotations

import pytest

from tests.config.environment import manage

SHOW = "from django.conf import settings as s; print(s.OTP_WEBAUTHN_RP_ID, *s.OTP_WEBAUTHN_ALLOWED_ORIGINS)"


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://book.example-clinic.com", "book.example-clinic.com https://book.example-clinic.com"),
        ("http://127.0.0.1:8000", "localhost http://localhost:8000"),  # browsers refuse an IP address
        ("http://localhost:8000", "localhost http://localhost:8000"),
        ("http://book.example-clinic.com", "book.example-clinic.com https://book.example-clinic.com"),
    ],
)
def test_it_binds_passkeys_to_the_site(site_url: str, expected: str) -> None:
    result = manage("shell", "--no-imports", "-c", SHOW, SITE_URL=site_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_the_relying_party_can_be_set_outright() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW,
        SITE_URL="https://book.example-clinic.com",
        WEBAUTHN_RP_ID="example-clinic.com",
        WEBAUTHN_ALLOWED_ORIGINS="https://book.example-clinic.com,https://staff.example-clinic.com",
    )

    assert result.stdout.split() == [
        "example-clinic.com",
        "https://book.example-clinic.com",
        "https://staff.example-clinic.com",
    ]


def test_check_deploy_is_clean_with_a_public_site() -> None:
    result = manage("check", "--deploy", "--fail-level", "DEBUG", SITE_URL="https://book.example-clinic.com")

    assert result.returncode == 0, result.stdout + result.stderr
