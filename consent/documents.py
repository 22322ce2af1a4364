"""Canonical forms and the exact text a signer reads. Pure: no database.

A form's `sections` are [{id, heading, paragraphs: [str]}] whose paragraphs may
name blanks from the render context ({clinic_name}, {practitioner_name},
{practitioner_disclosure}); `side_effects` are [{effect, how_often, note}]."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

CONTEXT_KEYS = ("clinic_name", "practitioner_name", "practitioner_disclosure")


def canonical_json(value: Any) -> bytes:
    """One byte string per meaning: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"the consent text names an unknown blank {{{key}}}")


def fill(text: str, context: Mapping[str, str]) -> str:
    return text.format_map(_Blanks(context))


def rendered_sections(form: Mapping[str, Any], context: Mapping[str, str]) -> list[dict[str, Any]]:
    """The form's sections with their blanks filled, ready for a page or a PDF."""
    return [
        {
            "id": s["id"],
            "heading": fill(s["heading"], context),
            "paragraphs": [fill(p, context) for p in s["paragraphs"]],
        }
        for s in form["sections"]
    ]


# The words render_text adds around a form's own, per language of a translation. A source
# form (no "language") keeps the English ones. Signed texts are hashed with these words:
# never change one; a new language adds its own line.
FRAMES = {
    "": ("{title} (version {version})", "I confirm that:"),
    "en-gb": ("{title} (version {version})", "I confirm that:"),
    "es": ("{title} (versión {version})", "Confirmo que:"),
    "fr": ("{title} (version {version})", "Je confirme que :"),
}


def render_text(form: Mapping[str, Any], context: Mapping[str, str]) -> str:
    """The exact text a signer reads, as one string. Its sha256 is stored with the signature.
    `form` is a version's or a translation's canonical form (a translation names its language)."""
    heading, confirm = FRAMES[form.get("language", "")]
    lines = [heading.format(title=fill(form["title"], context), version=form["version"]), ""]
    for section in rendered_sections(form, context):
        lines.append(section["heading"])
        lines.extend(section["paragraphs"])
        if section["id"] == "risks":
            lines.extend(
                fill(
                    f"- {effect['effect']}: {effect['how_often']}."
                    + (f" {effect['note']}" if effect.get("note") else ""),
                    context,
                )
                for effect in form["side_effects"]
            )
        lines.append("")
    lines.append(confirm)
    lines.extend(f"- {fill(a['text'], context)}" for a in form["acknowledgements"])
    lines.extend(["", fill(form["e_records_disclosure"], context), "", fill(form["intent_statement"], context)])
    return "\n".join(lines).strip() + "\n"
