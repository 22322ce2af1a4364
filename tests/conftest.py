"""Shared personas: patient, other_patient, practitioner, clinic_admin, stranger."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient, User
from tests.accounts.factories import make_patient, make_staff
from tests.accounts.sign_in import api_as

# Shared fixtures for any test: a published consent form and questionnaire (`form`,
# `questionnaire`), and one Chromium for the whole run (`browser`, `phone`).
pytest_plugins = ["tests.consent.fixtures", "tests.browser.kit", "tests.calendars.fixtures"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `slow` first, the rest in their order. With several pytest-xdist
    workers (`make test`), a slow test that started last would keep one worker busy after
    the others ran out of tests; started first, the others work through the rest meanwhile.
    The same stable order in every worker, as xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    from booking import catalogue_cache, schedule_cache, slot_cache

    cache.clear()
    # The per-process memories are keyed by versions that a flush between transactional tests
    # starts again from nothing: a number could come round again with other rows behind it.
    catalogue_cache.clear()
    schedule_cache.clear()
    slot_cache.clear()


@pytest.fixture(autouse=True)
def _english_again() -> Iterator[None]:
    """The test client's requests leave their language active in this thread (as Django's
    LocaleMiddleware does); every test starts and ends in the default language."""
    from django.utils import translation

    translation.activate("en-gb")
    yield
    translation.activate("en-gb")


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


@pytest.fixture
def patient_api(patient: Patient) -> APIClient:
    return api_as(patient)


@pytest.fixture(autouse=True)
def _own_anchor_dir(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own write-once checkpoint directory: files outlive the database."""
    settings.ANCHOR_DIR = tmp_path_factory.mktemp("anchors")  # type: ignore[attr-defined]
