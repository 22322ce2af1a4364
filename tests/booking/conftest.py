"""Fixtures for the booking tests: a clinic ready for consent (tests/booking/consent_world.py)."""

from tests.booking.consent_world import clinic, colleague, needling, pin  # noqa: F401
