"""Compile every translation catalogue (.po -> .mo) with Babel, in pure Python.

`make run`, `make test` and the Docker build call this, so none of them needs GNU gettext
installed: only `make messages` (xgettext, to extract strings) does. Fuzzy entries are left
out, as msgfmt leaves them out: a guess is never shown to a patient. A catalogue that cannot
be read, or whose translation breaks a %(name)s placeholder, stops the command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.checkers import python_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SKIP = {".venv", "node_modules", ".git", "var"}


def catalogues(root: Path) -> list[Path]:
    """Every <...>/locale/<lang>/LC_MESSAGES/*.po under the project, outside the virtualenv."""
    found = []
    for po in root.rglob("locale/*/LC_MESSAGES/*.po"):
        if not SKIP.intersection(po.relative_to(root).parts):
            found.append(po)
    return sorted(found)


def compile_one(po_path: Path) -> int:
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    problems = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        try:
            python_format(catalog, message)
        except Exception as exc:  # babel's TranslationError, and anything else a bad entry raises
            problems.append(f"{po_path}:{message.lineno}: {message.id!r}: {exc}")
    if problems:
        raise CommandError("\n".join(problems))
    with po_path.with_suffix(".mo").open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    return len([m for m in catalog if m.id and m.string and not m.fuzzy])


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po -> .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        for po in catalogues(root):
            count = compile_one(po)
            if options["verbosity"] > 1:
                self.stdout.write(f"{po.relative_to(root)}: {count} messages")
