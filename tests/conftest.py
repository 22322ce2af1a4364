"""Shared personas: patient, other_patient, practitioner, clinic_admin, stranger."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Patient, User
from tests.factories import make_patient, make_staff

# Shared fixtures for any test: a published consent form and questionnaire (`form`,
# `questionnaire`), and one Chromium for the whole run (`browser`, `phone`).
pytest_plugins = ["tests.consent.fixtures", "tests.browser.kit"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def throttle_rates(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Tighten some scopes for one test: `throttle_rates(slots="2/minute")`. DRF reads the
    rates into a class attribute at import, which override_settings would not reach."""
    from core.throttling import Throttle

    def tighten(**rates: str) -> None:
        monkeypatch.setattr(Throttle, "THROTTLE_RATES", {**Throttle.THROTTLE_RATES, **rates})

    return tighten


@pytest.fixture
def patient(db: None) -> Patient:
    return make_patient("pat@example.com", legal_name="Pat Example")


@pytest.fixture
def other_patient(db: None) -> Patient:
    return make_patient("olive@example.com", legal_name="Olive Other")


@pytest.fixture
def practitioner(db: None) -> User:
    return make_staff(User.Role.PRACTITIONER, "prac@example.com")


@pytest.fixture
def clinic_admin(db: None) -> User:
    return make_staff(User.Role.CLINIC_ADMIN, "boss@example.com")


@pytest.fixture
def stranger() -> APIClient:
    return APIClient()


def api_as(patient: Patient) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=patient.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def verified_staff_client(user: User, client: Client | None = None) -> Client:
    """A browser session that passed password and TOTP."""
    client = client or Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def patient_api(patient: Patient) -> APIClient:
    return api_as(patient)


@pytest.fixture(autouse=True)
def _own_anchor_dir(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own write-once checkpoint directory: files outlive the database."""
    settings.ANCHOR_DIR = tmp_path_factory.mktemp("anchors")  # type: ignore[attr-defined]
