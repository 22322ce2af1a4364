"""Fixtures for the consent tests. `form` and `questionnaire` live in tests/consent/fixtures.py,
which tests/conftest.py registers for the whole suite because the booking, compliance and
browser tests sign against them too; the personas come from tests/conftest.py.

What the tests make comes from tests/consent/factories.py; signing goes through
tests/consent/signing.py."""
