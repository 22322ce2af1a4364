"""tests/resources.py: a test that needs PostgreSQL, Redis, Chromium or PgBouncer skips on a bare
laptop, and under CI=true fails instead, so CI can never pass by skipping what it must run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import resources
from tests.config.environment import ROOT


def test_a_missing_service_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "IN_CI", True)

    with pytest.raises(pytest.fail.Exception, match="required under CI=true"):
        resources.need(False, "PostgreSQL")


def test_a_missing_service_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "IN_CI", False)

    with pytest.raises(pytest.skip.Exception, match="never skipped, in CI"):
        resources.need(False, "PostgreSQL")


def test_a_present_service_neither_fails_nor_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    for in_ci in (True, False):
        monkeypatch.setattr(resources, "IN_CI", in_ci)
        resources.need(True, "PostgreSQL")


@pytest.mark.parametrize(("value", "in_ci"), [("true", True), ("1", True), ("TRUE", True), ("", False), ("0", False)])
def test_ci_is_read_from_the_environment(value: str, in_ci: bool) -> None:
    env = {**os.environ, "CI": value}
    result = subprocess.run(
        [sys.executable, "-c", "import tests.resources as r; print(r.IN_CI)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(in_ci)
