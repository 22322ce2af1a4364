"""Fixtures for the booking tests: a clinic ready for consent, with a visit held and one
confirmed (tests/booking/consent_world.py), and the page tests' clinic (`journey`, made by
tests/booking/pages.py). A module that needs another clinic defines its own, which wins."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.booking.consent_world import clinic, colleague, confirmed, held, needling, pin  # noqa: F401
from tests.booking.pages import Journey, make_journey_clinic


@pytest.fixture
def journey(db: None) -> Journey:
    return make_journey_clinic()


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request activates its reader's language in the thread and leaves it there; a test
    that calls a service directly after a page in French must not read French."""
    yield
    translation.deactivate()
