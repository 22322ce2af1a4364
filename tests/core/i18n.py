"""What the language tests share: the catalogues, and English left on a translated page.

`english_left_in(html, language)` lists the catalogue's English sentences (msgids of three
words or more, placeholders cut out) that still appear in a page rendered in es or fr:
each is a string someone forgot to mark, or marked but did not translate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from html import unescape
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from core.management.commands.compile_catalogues import catalogues

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("es", "fr")
PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[^}]*\}")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def catalogue_paths() -> list[Path]:
    return catalogues(ROOT)


def read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=path.parent.parent.name)


def messages(path: Path) -> Iterator[tuple[str, str | tuple[str, ...], bool]]:
    """(msgid, msgstr, fuzzy) for each entry; msgid is the singular for plurals."""
    for message in read(path):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string
        yield msgid, tuple(string) if isinstance(string, tuple | list) else (string or ""), message.fuzzy


@cache
def english_sentences() -> frozenset[str]:
    """Every msgid's pieces between placeholders, three words or more, whitespace squeezed."""
    found: set[str] = set()
    for path in catalogue_paths():
        for msgid, msgstr, _fuzzy in messages(path):
            translations = msgstr if isinstance(msgstr, tuple) else (msgstr,)
            for piece in PLACEHOLDER.split(msgid):
                text = " ".join(piece.split()).strip(" .,:;·()")
                # A piece the translation keeps as it is (a name, "Acus") is not left-over English.
                if len(text.split()) >= 3 and not any(text in t for t in translations):
                    found.add(text)
    return frozenset(found)


def visible_text(html: str) -> str:
    return " ".join(unescape(TAGS.sub(" ", html)).split())


def english_left_in(html: str) -> list[str]:
    text = visible_text(html)
    return sorted(sentence for sentence in english_sentences() if sentence in text)
