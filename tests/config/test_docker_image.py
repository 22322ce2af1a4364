"""The production image installs the runtime lock alone: no test runner, linter or browser driver.

Docker does not run here, so the Dockerfile, docker-compose.yml and the locks are read as text.
"""

from __future__ import annotations

import ast
import re
import shlex
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE_LOCK = ROOT / "requirements" / "base.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
DEV_TOOLS = {"pytest", "playwright", "ruff", "mypy", "schemathesis", "hypothesis", "pytest-django", "bandit"}
# Every Acus app (a folder with apps.py) and config/.
APPS = ("config", *sorted(path.parent.name for path in ROOT.glob("*/apps.py")))


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock: Path) -> dict[str, list[str]]:
    """Each package of a pip-compile lock with its hashes."""
    text = lock.read_text().replace("\\\n", " ")
    packages: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==\S+", line)
        assert match, f"{lock.name}: not an exact pin: {line}"
        packages[normalise(match.group(1))] = re.findall(r"--hash=sha256:[0-9a-f]{64}", line)
    return packages


def dockerfile_runs() -> list[str]:
    """The Dockerfile's RUN instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line[4:] for line in text.splitlines() if line.startswith("RUN ")]


def pip_installs(command: str) -> list[list[str]]:
    """The arguments of each `pip install` (or pip3, python -m pip) in a shell command."""
    calls = []
    for part in re.split(r"&&|;|\|\|", command):
        words = shlex.split(part)
        for i, word in enumerate(words[:-1]):
            if re.fullmatch(r"pip3?(\.\d+)?", word) and words[i + 1] == "install":
                calls.append(words[i + 2 :])
    return calls


def test_the_image_installs_only_the_runtime_lock_checked_against_its_hashes() -> None:
    installs = [call for command in dockerfile_runs() for call in pip_installs(command)]

    assert installs, "the Dockerfile installs its Python packages with pip"
    for arguments in installs:
        assert "--require-hashes" in arguments
        requirement_files = [arguments[i + 1] for i, word in enumerate(arguments) if word in {"-r", "--requirement"}]
        assert requirement_files == ["requirements/base.txt"], arguments
        loose = [word for word in arguments if not word.startswith("-") and word not in requirement_files]
        assert loose == [], f"the image installs packages outside the lock: {loose}"
    assert "requirements/dev" not in (ROOT / "Dockerfile").read_text()


def test_the_image_compiles_the_translation_catalogues_without_gettext() -> None:
    # .mo files are not in git: the build makes them, with Babel from the runtime lock.
    compiles = [command for command in dockerfile_runs() if "manage.py compile_catalogues" in command]

    assert compiles, "the Dockerfile runs manage.py compile_catalogues"
    assert "babel" in pinned(BASE_LOCK)
    assert not any("gettext" in command for command in dockerfile_runs())


def test_the_runtime_lock_holds_no_development_tool() -> None:
    runtime = pinned(BASE_LOCK)

    assert not DEV_TOOLS & set(runtime), DEV_TOOLS & set(runtime)
    # Type stubs are for mypy; django-stubs-ext is the one runtime piece (it patches generics).
    assert not [name for name in runtime if name.startswith(("pytest", "types-", "mypy")) or name == "django-stubs"]


def test_every_pin_in_both_locks_carries_its_hashes() -> None:
    for lock in (BASE_LOCK, DEV_LOCK):
        for name, hashes in pinned(lock).items():
            assert hashes, f"{lock.name}: {name} has no --hash"


def test_the_dev_lock_agrees_with_the_runtime_lock_on_every_shared_package() -> None:
    runtime_text = BASE_LOCK.read_text()
    for line in DEV_LOCK.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match and normalise(match.group(1)) in pinned(BASE_LOCK):
            assert f"{match.group(1)}=={match.group(2)}" in runtime_text, line


def test_the_build_context_leaves_the_dev_lock_and_tests_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {"tests", "bench", "requirements/dev.*", "node_modules"} <= ignored


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_builds_every_app_service_from_the_image_and_installs_nothing_more(compose: dict[str, Any]) -> None:
    built = {name: service for name, service in compose["services"].items() if "build" in service}

    assert {"migrate", "web", "worker", "beat"} <= set(built)
    for name, service in built.items():
        assert service["build"] == ".", name
        words = " ".join(str(w) for key in ("command", "entrypoint") for w in service.get(key, []))
        assert "pip" not in words.split() and not DEV_TOOLS & set(words.split()), (name, words)


def third_party_imports() -> set[str]:
    """Top-level modules the app code imports that are neither its own nor the standard library's."""
    own = {*APPS, "manage"}
    found: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return {name for name in found - own if name not in sys.stdlib_module_names and name != "__future__"}


def test_everything_the_app_code_imports_comes_from_the_runtime_lock() -> None:
    runtime = set(pinned(BASE_LOCK))
    distributions = metadata.packages_distributions()
    missing = {}
    for module in sorted(third_party_imports()):
        owners = {normalise(d) for d in distributions.get(module, [])}
        if not owners & runtime:
            missing[module] = owners
    assert not missing, f"imported by app code but not in requirements/base.txt: {missing}"
