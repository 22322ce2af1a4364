"""Fixtures for the care tests: the personas come from tests/conftest.py."""
