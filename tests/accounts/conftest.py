"""Fixtures for the accounts tests: the personas (`patient`, `practitioner`, `clinic_admin`,
`stranger`, ...) live in tests/conftest.py because every app's tests use them; they are made
with tests/accounts/factories.py and signed in with tests/accounts/sign_in.py."""
