"""The browser tests' fixtures (`browser`, `phone`) come from tests/browser/kit.py, registered
once for the whole suite in tests/conftest.py; so do the helpers the tests import from it
(`assert_accessible`, `screenshot`, `without_javascript`, ...). The journeys' shared steps are
in tests/browser/journey.py."""
