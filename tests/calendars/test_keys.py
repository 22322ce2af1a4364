"""Calendar credentials at rest: encrypted, rotated to a new key, refused with a wrong key; the
start-up checks name a bad key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from calendars import secrets
from calendars.checks import calendar_settings
from calendars.models import CalendarEvent, Connection
from tests.booking.factories import make_clinic, make_practitioner
from tests.config.environment import manage

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _credentials() -> secrets.Credentials:
    return secrets.Credentials(
        url="https://cal.example.com/secret-path/",
        # With a dot, which base64url never writes: a two-letter name such as "jo" turned up
        # in a token by chance (about one token in sixteen of this length has it somewhere).
        username="jo.doe",
        password="app-pass-123",
        account="https://cal.example.com/secret-path/",
    )


def test_sealed_credentials_hold_no_readable_secret_and_open_again() -> None:
    with override_settings(CALENDAR_KEYS=[OLD]):
        token = secrets.seal(_credentials())
        assert "app-pass-123" not in token and "secret-path" not in token and "jo.doe" not in token
        assert secrets.unseal(token) == _credentials()


def test_a_token_does_not_open_with_another_key() -> None:
    with override_settings(CALENDAR_KEYS=[OLD]):
        token = secrets.seal(_credentials())
    with override_settings(CALENDAR_KEYS=[NEW]), pytest.raises(secrets.NotConfigured) as caught:
        secrets.unseal(token)
    assert token not in str(caught.value)


@override_settings(DEBUG=False, CALENDAR_KEYS=[])
def test_without_keys_in_production_nothing_is_sealed() -> None:
    assert not secrets.configured()
    with pytest.raises(secrets.NotConfigured):
        secrets.seal(_credentials())


@pytest.mark.django_db
def test_rotation_re_encrypts_every_connection_with_the_new_key() -> None:
    with override_settings(CALENDAR_KEYS=[OLD]):
        connection = Connection.objects.create(
            practitioner=make_practitioner(make_clinic()),
            kind="ics",
            name="Home",
            host="cal.example.com",
            secret=secrets.seal(_credentials()),
        )
    with override_settings(CALENDAR_KEYS=[NEW, OLD]):
        call_command("rotate_calendar_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    connection.refresh_from_db()
    with override_settings(CALENDAR_KEYS=[NEW]):
        assert secrets.unseal(connection.secret) == _credentials()
    assert CalendarEvent.objects.filter(connection_id=connection.pk, action="keys_rotated").count() == 1


@override_settings(CALENDAR_KEYS=["not-a-key"], CALENDAR_ALLOW_PRIVATE_HOSTS=False)
def test_a_malformed_key_is_a_start_up_error() -> None:
    assert [m.id for m in calendar_settings()] == ["calendars.E001"]


@override_settings(DEBUG=False, CALENDAR_KEYS=[OLD], CALENDAR_ALLOW_PRIVATE_HOSTS=True)
def test_private_addresses_allowed_in_production_is_warned_about() -> None:
    assert [m.id for m in calendar_settings()] == ["calendars.W001"]


def test_production_settings_without_calendar_keys_warn_at_check() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CALENDAR_KEYS="<unset>",
        SITE_URL="https://book.example-clinic.com",
    )
    assert "calendars.W002" in result.stderr + result.stdout
