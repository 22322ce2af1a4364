"""Every marked string is in the catalogues, and every one is translated into es and fr."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.i18n import ROOT, TRANSLATED, catalogue_paths, messages, read
from tests.resources import need


def _translated_catalogues() -> list[Path]:
    return [p for p in catalogue_paths() if p.parent.parent.name in TRANSLATED]


def test_there_are_catalogues_for_spanish_and_french_in_every_app_that_speaks() -> None:
    languages = {p.parent.parent.name for p in catalogue_paths()}
    assert set(TRANSLATED) <= languages
    owners = {p.relative_to(ROOT).parts[0] for p in catalogue_paths()}
    assert {
        "locale",
        "core",
        "accounts",
        "booking",
        "care",
        "consent",
        "notifications",
        "workspace",
        "compliance",
    } <= owners


@pytest.mark.parametrize("path", _translated_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_a_reviewed_translation(path: Path) -> None:
    untranslated = []
    for msgid, msgstr, fuzzy in messages(path):
        forms = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        if fuzzy or not all(form.strip() for form in forms):
            untranslated.append(msgid)
    assert untranslated == [], f"{len(untranslated)} untranslated or fuzzy in {path.relative_to(ROOT)}"


@pytest.mark.parametrize("path", _translated_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_every_placeholder(path: Path) -> None:
    from babel.messages.checkers import python_format

    catalog = read(path)
    broken = []
    for message in catalog:
        if message.id and message.string:
            try:
                python_format(catalog, message)
            except Exception as exc:  # babel's TranslationError
                broken.append(f"{message.id!r}: {exc}")
    assert broken == []


def _copy_of_the_source(target: Path) -> None:
    ignore = shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "*.mo", "__pycache__", ".*_cache")
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)


def test_make_messages_finds_nothing_new(tmp_path: Path) -> None:
    """`make messages` on the source as it is changes no catalogue: every marked string is already there."""
    need(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    copy = tmp_path / "src"
    _copy_of_the_source(copy)
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    common = ["--no-obsolete", "--no-location", "-l", "es", "-l", "fr"]
    ignores = [f"--ignore={d}" for d in (".venv", "node_modules", "var", "tests", "bench", ".ci", "staticfiles")]
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, *common, *ignores],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
    stale = []
    for before in _translated_catalogues():
        after = copy / before.relative_to(ROOT)
        ids_before = {m[0] for m in messages(before)}
        ids_after = {m[0] for m in messages(after)}
        if ids_before != ids_after:
            stale.append(
                f"{before.relative_to(ROOT)}: new {sorted(ids_after - ids_before)[:5]}, "
                f"gone {sorted(ids_before - ids_after)[:5]}"
            )
    assert stale == [], "run `make messages` and translate:\n" + "\n".join(stale)
