"""Helpers for browser tests; the fixtures (`browser`, `phone`) come from tests.browser.kit,
registered once for the whole suite in tests/conftest.py."""

from tests.browser.kit import (
    ARTIFACTS,
    AXE,
    CHROMIUM_ARGS,
    PHONES,
    as_without_javascript,
    assert_accessible,
    run_axe,
    screenshot,
    without_javascript,
)

__all__ = [
    "ARTIFACTS",
    "AXE",
    "CHROMIUM_ARGS",
    "PHONES",
    "as_without_javascript",
    "assert_accessible",
    "run_axe",
    "screenshot",
    "without_javascript",
]
