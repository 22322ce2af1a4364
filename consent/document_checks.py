"""Friendly checks of a document's shape, field by field, before `publish_*` sees it.

Pure: no Django, no database. Each check takes what the admin typed (already parsed
from JSON) and returns plain-words messages that name the position of the problem
("Section 3: ..."), or [] when the shape is right. They cover what the services would
otherwise trip over with a KeyError or a TypeError, and what a patient would silently
miss (a mistyped key, a side-effects table with no "risks" section to show it in).
The rules themselves (outcomes, reason codes, combined rules naming real answers) stay
with the services' own checks, which the admin form runs too."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any

from consent.documents import CONTEXT_KEYS

Check = Callable[[Any], list[str]]

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
ITEM_TYPES = ("yes_no", "choice", "text")
OUTCOMES = ("clear", "review", "block")
BLANKS = ", ".join(f"{{{key}}}" for key in CONTEXT_KEYS)

SECTION_KEYS = {"id", "heading", "paragraphs"}
SIDE_EFFECT_KEYS = {"effect", "how_often", "note"}
ACKNOWLEDGEMENT_KEYS = {"id", "text"}
ITEM_KEYS = {"id", "text", "help", "type", "required", "options", "if_answered"}
OPTION_KEYS = {"value", "label", "outcome", "code", "explanation", "site"}
RULE_KEYS = {"outcome", "code", "explanation", "site"}
COMBINED_RULE_KEYS = RULE_KEYS | {"when", "item"}


def blank_errors(text: Any, where: str = "This text") -> list[str]:
    """Text a patient reads: a string whose only blanks are the render context's."""
    if not isinstance(text, str):
        return [f"{where} must be text."]
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return [f"{where} has a stray {{ or }}. Blanks look like {{clinic_name}}; write {{{{ or }}}} for a brace."]
    unknown = [
        "{" + name + "}"
        for _, name, spec, conversion in parts
        if name is not None and (name not in CONTEXT_KEYS or spec or conversion)
    ]
    if unknown:
        return [f"{where} names an unknown blank {', '.join(unknown)}. The blanks are {BLANKS}."]
    return []


def section_errors(sections: Any) -> list[str]:
    if not _list_of_objects(sections, allow_empty=False):
        return ['Give a list of sections, each {"id": ..., "heading": ..., "paragraphs": ["...", ...]}.']
    errors: list[str] = []
    seen: set[str] = set()
    for n, section in enumerate(sections, 1):
        where = f"Section {n}"
        errors += _keys(where, section, SECTION_KEYS, required=SECTION_KEYS)
        errors += _id(where, section.get("id"), seen)
        errors += _required_text(f'{where} "heading"', section.get("heading"))
        paragraphs = section.get("paragraphs")
        if not isinstance(paragraphs, list) or not paragraphs:
            errors.append(f'{where}: "paragraphs" must be a list of one or more texts.')
            continue
        for p, paragraph in enumerate(paragraphs, 1):
            errors += blank_errors(paragraph, f"{where}, paragraph {p}")
    return errors


def side_effect_errors(side_effects: Any) -> list[str]:
    if not _list_of_objects(side_effects, allow_empty=True):
        return ['Give a list of side effects, each {"effect": ..., "how_often": ..., "note": ...}.']
    errors: list[str] = []
    for n, effect in enumerate(side_effects, 1):
        where = f"Side effect {n}"
        errors += _keys(where, effect, SIDE_EFFECT_KEYS, required={"effect", "how_often"})
        errors += _required_text(f'{where} "effect"', effect.get("effect"))
        errors += _required_text(f'{where} "how_often"', effect.get("how_often"))
        errors += blank_errors(effect.get("note", ""), f'{where} "note"')
    return errors


def acknowledgement_errors(acknowledgements: Any) -> list[str]:
    if not _list_of_objects(acknowledgements, allow_empty=False):
        return ['Give a list of one or more statements, each {"id": ..., "text": ...}.']
    errors: list[str] = []
    seen: set[str] = set()
    for n, acknowledgement in enumerate(acknowledgements, 1):
        where = f"Statement {n}"
        errors += _keys(where, acknowledgement, ACKNOWLEDGEMENT_KEYS, required=ACKNOWLEDGEMENT_KEYS)
        errors += _id(where, acknowledgement.get("id"), seen)
        errors += _required_text(f'{where} "text"', acknowledgement.get("text"))
    return errors


def risks_errors(sections: list[dict[str, Any]], side_effects: list[Any]) -> list[str]:
    """Patients see the side-effects table inside the section whose id is "risks" only."""
    if side_effects and not any(section.get("id") == "risks" for section in sections):
        return ['Add a section with the id "risks": the side effects are shown inside it, and nowhere else.']
    return []


def item_errors(items: Any) -> list[str]:
    if not _list_of_objects(items, allow_empty=False):
        return ['Give a list of one or more questions, each {"id": ..., "text": ..., "type": ..., ...}.']
    errors: list[str] = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        where = f"Question {n}" + (f" ({item['id']})" if isinstance(item.get("id"), str) else "")
        errors += _keys(where, item, ITEM_KEYS, required={"id", "text", "type"})
        errors += _id(where, item.get("id"), seen)
        errors += _required_text(f'{where} "text"', item.get("text"), blanks=False)
        if not isinstance(item.get("help", ""), str):
            errors.append(f'{where}: "help" must be text.')
        if not isinstance(item.get("required", True), bool):
            errors.append(f'{where}: "required" must be true or false.')
        errors += _answers(where, item)
    return errors


def combined_rule_errors(rules: Any) -> list[str]:
    if not _list_of_objects(rules, allow_empty=True):
        return ['Give a list of rules, each {"when": {...}, "outcome": ..., "code": ..., "explanation": ...}.']
    errors: list[str] = []
    for n, rule in enumerate(rules, 1):
        where = f"Rule {n}"
        errors += _keys(where, rule, COMBINED_RULE_KEYS, required={"when", "outcome", "code", "explanation"})
        when = rule.get("when")
        if not isinstance(when, dict) or not when:
            errors.append(f'{where}: "when" must map question ids (or "context:minor") to answers.')
        errors += _rule_fields(where, rule)
    return errors


def _answers(where: str, item: dict[str, Any]) -> list[str]:
    kind = item.get("type")
    if kind not in ITEM_TYPES:
        return [f'{where}: "type" must be one of {", ".join(ITEM_TYPES)}.']
    if kind == "text":
        errors = [f'{where}: a text question has no "options".'] if "options" in item else []
        rule = item.get("if_answered")
        if rule is not None:
            if not isinstance(rule, dict):
                return [*errors, f'{where}: "if_answered" must be an object with outcome, code and explanation.']
            errors += _keys(f'{where} "if_answered"', rule, RULE_KEYS, required=set())
            errors += _rule_fields(f'{where} "if_answered"', rule)
        return errors
    options = item.get("options")
    if not _list_of_objects(options, allow_empty=False):
        return [f'{where}: "options" must be a list of answers, each {{"value": ..., "label": ..., "outcome": ...}}.']
    errors = [f'{where}: only a text question has "if_answered".'] if "if_answered" in item else []
    values: set[str] = set()
    for n, option in enumerate(options or [], 1):
        at = f"{where}, answer {n}"
        errors += _keys(at, option, OPTION_KEYS, required={"value", "label"})
        value = option.get("value")
        if not isinstance(value, str) or not value.strip():
            errors.append(f'{at}: "value" must be text.')
        elif value in values:
            errors.append(f'{at}: the value "{value}" is used twice.')
        else:
            values.add(value)
        errors += _required_text(f'{at} "label"', option.get("label"), blanks=False)
        errors += _rule_fields(at, option)
    return errors


def _rule_fields(where: str, rule: dict[str, Any]) -> list[str]:
    errors = []
    if rule.get("outcome", "clear") not in OUTCOMES:
        errors.append(f'{where}: "outcome" must be one of {", ".join(OUTCOMES)}.')
    for key in ("code", "explanation"):
        if not isinstance(rule.get(key, ""), str):
            errors.append(f'{where}: "{key}" must be text.')
    if not isinstance(rule.get("site", False), bool):
        errors.append(f'{where}: "site" must be true or false.')
    return errors


def _list_of_objects(value: Any, *, allow_empty: bool) -> bool:
    return isinstance(value, list) and (allow_empty or bool(value)) and all(isinstance(v, dict) for v in value)


def _keys(where: str, value: dict[str, Any], allowed: set[str], *, required: set[str]) -> list[str]:
    errors = [f'{where}: "{key}" is missing.' for key in sorted(required - set(value))]
    unknown = sorted(set(value) - allowed)
    if unknown:
        names = ", ".join(f'"{key}"' for key in unknown)
        errors.append(f"{where}: unknown {names} (a typo?). Use {', '.join(sorted(allowed))}.")
    return errors


def _id(where: str, value: Any, seen: set[str]) -> list[str]:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        return [f'{where}: "id" must be lower-case letters, digits and _, starting with a letter.']
    if value in seen:
        return [f'{where}: the id "{value}" is used twice.']
    seen.add(value)
    return []


def _required_text(where: str, value: Any, *, blanks: bool = True) -> list[str]:
    """Missing keys are reported by _keys; here: text, not empty, and (for the consent
    form, whose text is filled in) only known blanks."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"{where} must be text."]
    if not value.strip():
        return [f"{where} is empty."]
    return blank_errors(value, where) if blanks else []
