"""The booking tests' consent-ready clinic (tests/booking/consent_world.py) for the metrics tests."""

from tests.booking.consent_world import clinic, held, needling, pin  # noqa: F401
