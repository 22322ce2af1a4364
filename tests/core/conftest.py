"""Fixtures for the core tests: the personas, `patient_api` and `throttle_rates` come from
tests/conftest.py (booking's tests tighten throttles too); the API's error shape is checked
with tests/core/api_errors.py."""
