"""Fixtures for the booking tests: a clinic ready for consent, with a visit held and one
confirmed (tests/booking/consent_world.py), and the page tests' clinic (`journey`, made by
tests/booking/pages.py). A module that needs another clinic defines its own, which wins."""

import pytest

from tests.booking.consent_world import clinic, colleague, confirmed, held, needling, pin  # noqa: F401
from tests.booking.pages import Journey, make_journey_clinic


@pytest.fixture
def journey(db: None) -> Journey:
    return make_journey_clinic()
