"""manage.py compile_catalogues: .po to .mo with Babel, leaving guesses out and refusing broken placeholders."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from core.management.commands.compile_catalogues import catalogues, compile_one

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def write_po(tmp_path: Path, body: str) -> Path:
    po = tmp_path / "app" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER + body, encoding="utf-8")
    return po


def test_it_compiles_reviewed_entries_and_leaves_fuzzy_guesses_out(tmp_path: Path) -> None:
    po = write_po(
        tmp_path,
        'msgid "Your visit"\nmsgstr "Su visita"\n\n#, fuzzy\nmsgid "Your visits"\nmsgstr "Sus visitas"\n\n'
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hola, %(name)s"\n',
    )

    assert compile_one(po) == 2
    with po.with_suffix(".mo").open("rb") as mo:
        translations = gettext.GNUTranslations(mo)
    assert translations.gettext("Your visit") == "Su visita"
    assert translations.gettext("Hello %(name)s") % {"name": "Ana"} == "Hola, Ana"
    assert translations.gettext("Your visits") == "Your visits"  # the guess is never shown


def test_it_refuses_a_translation_that_loses_a_placeholder(tmp_path: Path) -> None:
    po = write_po(tmp_path, '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hola, %(nombre)s"\n')

    with pytest.raises(CommandError, match="Hello"):
        compile_one(po)
    assert not po.with_suffix(".mo").exists()


def test_it_finds_every_apps_catalogues_but_not_installed_packages(tmp_path: Path) -> None:
    ours = write_po(tmp_path, "")
    theirs = tmp_path / ".venv" / "lib" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    theirs.parent.mkdir(parents=True)
    theirs.write_text(HEADER)

    assert catalogues(tmp_path) == [ours]
