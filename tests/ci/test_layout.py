"""The tests keep the apps' layout: tests/<app>/ for every app, each with a conftest.py (its
fixtures) and a factories.py (the objects it makes); helpers shared between test modules live
in support modules, never in another test module; a file named test_*.py holds tests, not
helpers in disguise; and no Python file in the repository grows past 400 lines.

Each check lists every offender at once, so one run says everything there is to fix."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.resources import need

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
MAX_LINES = 400
NOT_OURS = {".venv", "node_modules", "migrations"}  # installed or generated, not written here
APP_SUPPORT = ("conftest.py", "factories.py")


def apps() -> list[str]:
    """The Django apps: the folders at the root of the repository that have an apps.py."""
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in NOT_OURS)


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).parent.parts)


def imported_names(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything the source imports, modules and names from modules alike:
    `from tests.booking import test_x` imports the module tests.booking.test_x."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def imports_of_test_modules(source: str, package: str) -> list[tuple[int, str]]:
    return [(line, name) for line, name in imported_names(source, package) if name.split(".")[-1].startswith("test_")]


def defines_a_test(source: str) -> bool:
    """Whether pytest finds a test at the top of the module: a test function or a Test class."""
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            return True
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id.startswith(("test", "Test")) for target in node.targets
        ):
            return True
    return False


def python_files_in_git() -> list[Path]:
    """The repository's Python files as git lists them: tracked, plus new ones not ignored."""
    git = shutil.which("git")
    in_checkout = (
        git is not None
        and subprocess.run([git, "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True).returncode == 0
    )
    need(in_checkout, "git and a git checkout (the size check measures what `git ls-files` lists)")
    assert git is not None
    listed = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    paths = {Path(name) for name in listed.split("\0") if name}
    return sorted(ROOT / path for path in paths if not NOT_OURS.intersection(path.parts) and (ROOT / path).is_file())


# --- The repository as it is ------------------------------------------------------------------


def test_every_app_has_a_test_folder_with_its_conftest_and_factories() -> None:
    assert len(apps()) >= 7, f"found only {apps()}: is ROOT ({ROOT}) the repository?"
    missing = [f"tests/{app}/{name}" for app in apps() for name in APP_SUPPORT if not (TESTS / app / name).is_file()]

    assert not missing, f"each app's tests need a conftest.py and a factories.py; missing: {missing}"


def test_the_linters_read_every_app() -> None:
    """bandit (make lint) and import-linter name the apps one by one: a new app must join both
    lists, or it goes unchecked (bandit's list once stopped growing at interop's predecessors)."""
    makefile = (ROOT / "Makefile").read_text()
    [bandit] = [line for line in makefile.splitlines() if "bin/bandit" in line]
    linted = set(bandit.split("-r", 1)[1].split())
    pyproject = (ROOT / "pyproject.toml").read_text()
    [packages] = [line for line in pyproject.splitlines() if line.startswith("root_packages")]
    layered = set(re.findall(r'"(\w+)"', packages))

    assert set(apps()) <= linted, f"bandit does not read {sorted(set(apps()) - linted)}"
    assert set(apps()) <= layered, f"import-linter does not know {sorted(set(apps()) - layered)}"


def test_no_module_under_tests_imports_a_test_module() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in imports_of_test_modules(path.read_text(), package_of(path))
    ]

    assert not offenders, (
        "a helper two test modules share belongs in a support module (the app's factories.py, or a "
        f"named helper module), not in a test module: {offenders}"
    )


def test_every_module_named_test_defines_a_test() -> None:
    # conftest.py and factories.py, like every other support module, are never named test_*.
    disguised = [
        str(path.relative_to(ROOT)) for path in sorted(TESTS.rglob("test_*.py")) if not defines_a_test(path.read_text())
    ]

    assert not disguised, f"these define no test; give the support module a name that says what it holds: {disguised}"


def test_no_python_file_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in python_files_in_git()
        if (count := len(path.read_text(encoding="utf-8", errors="replace").splitlines())) > MAX_LINES
    }

    assert not long, f"split these by behaviour into modules of at most {MAX_LINES} lines: {long}"


# --- The checks see what they look for ----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import tests.booking.test_consent_flow",
        "from tests.booking.test_consent_flow import screen",
        "from tests.booking import test_reschedule_needling_consent as moving",
        "from . import test_sign_consent",
        "from .test_sign_consent import sign",
        "def helper():\n    from tests.core.test_error_shape import assert_error_shape\n",
    ],
)
def test_the_import_check_sees_every_way_to_import_a_test_module(source: str) -> None:
    assert imports_of_test_modules(source, "tests.consent")


@pytest.mark.parametrize(
    "source",
    [
        "from tests.booking.factories import make_clinic",
        "from tests.consent import signing",
        "from django.test import Client",
        "from .factories import make_patient",
    ],
)
def test_the_import_check_lets_support_modules_be(source: str) -> None:
    assert imports_of_test_modules(source, "tests.consent") == []


@pytest.mark.parametrize(
    ("source", "is_tests"),
    [
        ("def test_it_books() -> None:\n    assert True\n", True),
        ("async def test_it_waits() -> None:\n    assert True\n", True),
        ("class TestBooking:\n    def test_it_books(self) -> None:\n        assert True\n", True),
        ('"""Helpers."""\n\ndef sign() -> None:\n    pass\n\nSCOPE = "test-clinic"\n', False),
        ("def helper():\n    def test_inside() -> None:\n        pass\n", False),
    ],
)
def test_the_support_module_check_knows_a_test_module(source: str, is_tests: bool) -> None:
    assert defines_a_test(source) is is_tests
