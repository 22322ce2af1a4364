"""Is a translation the same document as its source, in other words? Pure: no database.

A translation may change only what a person reads (titles, headings, paragraphs, side
effects' wording, acknowledgement texts, question texts, answer labels, explanations).
Everything the software acts on (ids, codes, outcomes, values, flags, the order and
number of parts) must be exactly the source's, and every text keeps the source's blanks
({clinic_name} ...). The side effects keep every figure of the source: "7.55%" may read
"7,55 %" and "1,000" may read "1 000" or "1.000", but no number may change, go or come."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

# The keys whose values a person reads: the only ones a translation may change.
CONSENT_FORM_TEXTS = frozenset(
    {
        "title",
        "heading",
        "paragraphs",
        "effect",
        "how_often",
        "note",
        "text",
        "intent_statement",
        "e_records_disclosure",
    }
)
QUESTIONNAIRE_TEXTS = frozenset({"title", "text", "help", "label", "explanation"})

# Digits, with thousands or decimal separators between groups (1,000 · 1.000 · 1 000 · 7,55).
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")


class TranslationMismatch(ValueError):
    """The translation differs from its source in more than its words: `problems` says where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def blanks(text: str) -> Counter[str]:
    """The {blanks} a text names, with how often."""
    return Counter(name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name)


def numbers(text: str) -> Counter[str]:
    """The figures in a text, written one way: separators before a group of exactly three
    digits are thousands separators and go; any other is the decimal point."""
    found: Counter[str] = Counter()
    for token in _NUMBER.findall(text):
        groups = re.split(r"[.,\u00a0\u202f ]", token)
        value = groups[0]
        for group in groups[1:]:
            value += group if len(group) == 3 else "." + group
        found[value] += 1
    return found


def structure_problems(source: Any, translation: Any, *, texts: frozenset[str], where: str = "") -> list[str]:
    """Every place where `translation` differs from `source` in more than its texts."""
    if isinstance(source, Mapping):
        if not isinstance(translation, Mapping):
            return [_("%(where)s: expected an object, as in the source") % {"where": where or "document"}]
        if set(source) != set(translation):
            return [
                _("%(where)s: the keys differ from the source's (%(keys)s)")
                % {"where": where or "document", "keys": ", ".join(sorted(set(source) ^ set(translation)))}
            ]
        problems: list[str] = []
        for key in source:
            at = f"{where}.{key}" if where else str(key)
            if key in texts:
                problems += _text_problems(source[key], translation[key], at)
            else:
                problems += structure_problems(source[key], translation[key], texts=texts, where=at)
        return problems
    if isinstance(source, list):
        if not isinstance(translation, list) or len(source) != len(translation):
            return [_("%(where)s: the number of parts differs from the source's") % {"where": where}]
        return [
            problem
            for i, (a, b) in enumerate(zip(source, translation, strict=True))
            for problem in structure_problems(a, b, texts=texts, where=f"{where}[{i}]")
        ]
    if source != translation:
        return [_("%(where)s: must stay %(value)r, as in the source") % {"where": where, "value": source}]
    return []


def _text_problems(source: Any, translation: Any, where: str) -> list[str]:
    if isinstance(source, list):
        if not isinstance(translation, list) or len(source) != len(translation):
            return [_("%(where)s: the number of paragraphs differs from the source's") % {"where": where}]
        return [
            p
            for i, (a, b) in enumerate(zip(source, translation, strict=True))
            for p in _text_problems(a, b, f"{where}[{i}]")
        ]
    if not isinstance(translation, str):
        return [_("%(where)s: must be text") % {"where": where}]
    if str(source).strip() and not translation.strip():
        return [_("%(where)s: is not translated") % {"where": where}]
    try:
        same = blanks(str(source)) == blanks(translation)
    except ValueError:
        return [_("%(where)s: has a broken blank (a lone { or })") % {"where": where}]
    if not same:
        return [
            _("%(where)s: must keep the blanks of the source (%(blanks)s)")
            % {"where": where, "blanks": ", ".join(f"{{{b}}}" for b in sorted(blanks(str(source)))) or "none"}
        ]
    return []


def figure_problems(
    source_effects: Sequence[Mapping[str, Any]], translated_effects: Sequence[Mapping[str, Any]]
) -> list[str]:
    """Each side effect keeps every figure of its source (how often, and the note)."""
    problems = []
    for i, (source, translated) in enumerate(zip(source_effects, translated_effects, strict=False)):
        for key in ("how_often", "note"):
            expected, got = numbers(str(source.get(key, ""))), numbers(str(translated.get(key, "")))
            if expected != got:
                problems.append(
                    _("side_effects[%(i)s].%(key)s: the figures must be the source's (%(expected)s), not %(got)s")
                    % {
                        "i": i,
                        "key": key,
                        "expected": ", ".join(sorted(expected.elements())) or "none",
                        "got": ", ".join(sorted(got.elements())) or "none",
                    }
                )
    return problems


def check_consent_form(source: Mapping[str, Any], translation: Mapping[str, Any]) -> None:
    """Raise TranslationMismatch unless `translation` is `source` in other words, figures kept.
    Both are the content of a form (title, sections, side_effects, acknowledgements,
    intent_statement, e_records_disclosure)."""
    problems = structure_problems(source, translation, texts=CONSENT_FORM_TEXTS)
    if not problems:
        problems = figure_problems(source["side_effects"], translation["side_effects"])
    if problems:
        raise TranslationMismatch(problems)


def check_questionnaire(source: Mapping[str, Any], translation: Mapping[str, Any]) -> None:
    """Raise TranslationMismatch unless `translation` (title, items, combined_rules) asks the
    source's questions with the source's answers, codes and outcomes."""
    problems = structure_problems(source, translation, texts=QUESTIONNAIRE_TEXTS)
    if problems:
        raise TranslationMismatch(problems)
