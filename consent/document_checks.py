"""Friendly checks of a document's shape, field by field, before `publish_*` sees it.

No database. Each check takes what the admin typed (already parsed from JSON) and
returns plain-words messages, in the active language, that name the position of the
problem ("Section 3: ..."), or [] when the shape is right. Each message is one whole
translatable sentence; the position is a translated label before the colon, and JSON
keys stay as they are typed. They cover what the services would otherwise trip over
with a KeyError or a TypeError, and what a patient would silently miss (a mistyped
key, a side-effects table with no "risks" section to show it in).
The rules themselves (outcomes, reason codes, combined rules naming real answers) stay
with the services' own checks, which the admin form runs too."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

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


def blank_errors(text: Any, where: str | None = None, key: str | None = None) -> list[str]:
    """Text a patient reads: a string whose only blanks are the render context's.

    `where` is the position's label (none: a whole field), `key` the JSON key there
    (none: the position is the text itself, such as a paragraph)."""
    names = {"where": where, "key": key, "blanks": BLANKS}
    if not isinstance(text, str):
        if where is None:
            return [_("This must be text.")]
        if key is None:
            return [_("%(where)s: this must be text.") % names]
        return [_('%(where)s: "%(key)s" must be text.') % names]
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        if where is None:
            return [_("This text has a stray { or }. Blanks look like {clinic_name}; write {{ or }} for a brace.")]
        if key is None:
            return [
                _(
                    "%(where)s: this text has a stray { or }. "
                    "Blanks look like {clinic_name}; write {{ or }} for a brace."
                )
                % names
            ]
        return [
            _('%(where)s: "%(key)s" has a stray { or }. Blanks look like {clinic_name}; write {{ or }} for a brace.')
            % names
        ]
    unknown = [
        "{" + name + "}"
        for _text, name, spec, conversion in parts
        if name is not None and (name not in CONTEXT_KEYS or spec or conversion)
    ]
    if not unknown:
        return []
    names["unknown"] = ", ".join(unknown)
    if where is None:
        return [_("This text names an unknown blank %(unknown)s. The blanks are %(blanks)s.") % names]
    if key is None:
        return [_("%(where)s: this text names an unknown blank %(unknown)s. The blanks are %(blanks)s.") % names]
    return [_('%(where)s: "%(key)s" names an unknown blank %(unknown)s. The blanks are %(blanks)s.') % names]


def section_errors(sections: Any) -> list[str]:
    if not _list_of_objects(sections, allow_empty=False):
        return [_('Give a list of sections, each {"id": ..., "heading": ..., "paragraphs": ["...", ...]}.')]
    errors: list[str] = []
    seen: set[str] = set()
    for n, section in enumerate(sections, 1):
        where = _("Section %(number)s") % {"number": n}
        errors += _keys(where, section, SECTION_KEYS, required=SECTION_KEYS)
        errors += _id(where, section.get("id"), seen)
        errors += _required_text(where, "heading", section.get("heading"))
        paragraphs = section.get("paragraphs")
        if not isinstance(paragraphs, list) or not paragraphs:
            errors.append(_('%(where)s: "paragraphs" must be a list of one or more texts.') % {"where": where})
            continue
        for p, paragraph in enumerate(paragraphs, 1):
            at = _("Section %(number)s, paragraph %(paragraph)s") % {"number": n, "paragraph": p}
            errors += blank_errors(paragraph, at)
    return errors


def side_effect_errors(side_effects: Any) -> list[str]:
    if not _list_of_objects(side_effects, allow_empty=True):
        return [_('Give a list of side effects, each {"effect": ..., "how_often": ..., "note": ...}.')]
    errors: list[str] = []
    for n, effect in enumerate(side_effects, 1):
        where = _("Side effect %(number)s") % {"number": n}
        errors += _keys(where, effect, SIDE_EFFECT_KEYS, required={"effect", "how_often"})
        errors += _required_text(where, "effect", effect.get("effect"))
        errors += _required_text(where, "how_often", effect.get("how_often"))
        errors += blank_errors(effect.get("note", ""), where, "note")
    return errors


def acknowledgement_errors(acknowledgements: Any) -> list[str]:
    if not _list_of_objects(acknowledgements, allow_empty=False):
        return [_('Give a list of one or more statements, each {"id": ..., "text": ...}.')]
    errors: list[str] = []
    seen: set[str] = set()
    for n, acknowledgement in enumerate(acknowledgements, 1):
        where = _("Statement %(number)s") % {"number": n}
        errors += _keys(where, acknowledgement, ACKNOWLEDGEMENT_KEYS, required=ACKNOWLEDGEMENT_KEYS)
        errors += _id(where, acknowledgement.get("id"), seen)
        errors += _required_text(where, "text", acknowledgement.get("text"))
    return errors


def risks_errors(sections: list[dict[str, Any]], side_effects: list[Any]) -> list[str]:
    """Patients see the side-effects table inside the section whose id is "risks" only."""
    if side_effects and not any(section.get("id") == "risks" for section in sections):
        return [_('Add a section with the id "risks": the side effects are shown inside it, and nowhere else.')]
    return []


def item_errors(items: Any) -> list[str]:
    if not _list_of_objects(items, allow_empty=False):
        return [_('Give a list of one or more questions, each {"id": ..., "text": ..., "type": ..., ...}.')]
    errors: list[str] = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        where = _question(n, item)
        errors += _keys(where, item, ITEM_KEYS, required={"id", "text", "type"})
        errors += _id(where, item.get("id"), seen)
        errors += _required_text(where, "text", item.get("text"), blanks=False)
        if not isinstance(item.get("help", ""), str):
            errors.append(_('%(where)s: "%(key)s" must be text.') % {"where": where, "key": "help"})
        if not isinstance(item.get("required", True), bool):
            errors.append(_('%(where)s: "%(key)s" must be true or false.') % {"where": where, "key": "required"})
        errors += _answers(n, item)
    return errors


def combined_rule_errors(rules: Any) -> list[str]:
    if not _list_of_objects(rules, allow_empty=True):
        return [_('Give a list of rules, each {"when": {...}, "outcome": ..., "code": ..., "explanation": ...}.')]
    errors: list[str] = []
    for n, rule in enumerate(rules, 1):
        where = _("Rule %(number)s") % {"number": n}
        errors += _keys(where, rule, COMBINED_RULE_KEYS, required={"when", "outcome", "code", "explanation"})
        when = rule.get("when")
        if not isinstance(when, dict) or not when:
            errors.append(
                _('%(where)s: "when" must map question ids (or "context:minor") to answers.') % {"where": where}
            )
        errors += _rule_fields(where, rule)
    return errors


def _question(n: int, item: dict[str, Any], *, answer: int | None = None, if_answered: bool = False) -> str:
    """The label of a question (with its id when it has one), one of its answers, or its "if_answered" rule."""
    names = {"number": n, "id": item.get("id"), "answer": answer}
    if not isinstance(item.get("id"), str):
        if answer is not None:
            return _("Question %(number)s, answer %(answer)s") % names
        if if_answered:
            return _('Question %(number)s, "if_answered"') % names
        return _("Question %(number)s") % names
    if answer is not None:
        return _("Question %(number)s (%(id)s), answer %(answer)s") % names
    if if_answered:
        return _('Question %(number)s (%(id)s), "if_answered"') % names
    return _("Question %(number)s (%(id)s)") % names


def _answers(n: int, item: dict[str, Any]) -> list[str]:
    where = _question(n, item)
    kind = item.get("type")
    if kind not in ITEM_TYPES:
        return [_one_of(where, "type", ITEM_TYPES)]
    if kind == "text":
        errors = [_('%(where)s: a text question has no "options".') % {"where": where}] if "options" in item else []
        rule = item.get("if_answered")
        if rule is not None:
            if not isinstance(rule, dict):
                message = _('%(where)s: "if_answered" must be an object with outcome, code and explanation.')
                return [*errors, message % {"where": where}]
            at = _question(n, item, if_answered=True)
            errors += _keys(at, rule, RULE_KEYS, required=set())
            errors += _rule_fields(at, rule)
        return errors
    options = item.get("options")
    if not _list_of_objects(options, allow_empty=False):
        message = _(
            '%(where)s: "options" must be a list of answers, each {"value": ..., "label": ..., "outcome": ...}.'
        )
        return [message % {"where": where}]
    errors = (
        [_('%(where)s: only a text question has "if_answered".') % {"where": where}] if "if_answered" in item else []
    )
    values: set[str] = set()
    for a, option in enumerate(options or [], 1):
        at = _question(n, item, answer=a)
        errors += _keys(at, option, OPTION_KEYS, required={"value", "label"})
        value = option.get("value")
        if not isinstance(value, str) or not value.strip():
            errors.append(_('%(where)s: "%(key)s" must be text.') % {"where": at, "key": "value"})
        elif value in values:
            errors.append(_('%(where)s: the value "%(value)s" is used twice.') % {"where": at, "value": value})
        else:
            values.add(value)
        errors += _required_text(at, "label", option.get("label"), blanks=False)
        errors += _rule_fields(at, option)
    return errors


def _rule_fields(where: str, rule: dict[str, Any]) -> list[str]:
    errors = []
    if rule.get("outcome", "clear") not in OUTCOMES:
        errors.append(_one_of(where, "outcome", OUTCOMES))
    for key in ("code", "explanation"):
        if not isinstance(rule.get(key, ""), str):
            errors.append(_('%(where)s: "%(key)s" must be text.') % {"where": where, "key": key})
    if not isinstance(rule.get("site", False), bool):
        errors.append(_('%(where)s: "%(key)s" must be true or false.') % {"where": where, "key": "site"})
    return errors


def _one_of(where: str, key: str, choices: tuple[str, ...]) -> str:
    return _('%(where)s: "%(key)s" must be one of %(choices)s.') % {
        "where": where,
        "key": key,
        "choices": ", ".join(choices),
    }


def _list_of_objects(value: Any, *, allow_empty: bool) -> bool:
    return isinstance(value, list) and (allow_empty or bool(value)) and all(isinstance(v, dict) for v in value)


def _keys(where: str, value: dict[str, Any], allowed: set[str], *, required: set[str]) -> list[str]:
    errors = [
        _('%(where)s: "%(key)s" is missing.') % {"where": where, "key": key} for key in sorted(required - set(value))
    ]
    unknown = sorted(set(value) - allowed)
    if unknown:
        names = ", ".join(f'"{key}"' for key in unknown)
        message = _("%(where)s: unknown %(names)s (a typo?). Use %(allowed)s.")
        errors.append(message % {"where": where, "names": names, "allowed": ", ".join(sorted(allowed))})
    return errors


def _id(where: str, value: Any, seen: set[str]) -> list[str]:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        return [
            _('%(where)s: "id" must be lower-case letters, digits and _, starting with a letter.') % {"where": where}
        ]
    if value in seen:
        return [_('%(where)s: the id "%(id)s" is used twice.') % {"where": where, "id": value}]
    seen.add(value)
    return []


def _required_text(where: str, key: str, value: Any, *, blanks: bool = True) -> list[str]:
    """Missing keys are reported by _keys; here: text, not empty, and (for the consent
    form, whose text is filled in) only known blanks."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [_('%(where)s: "%(key)s" must be text.') % {"where": where, "key": key}]
    if not value.strip():
        return [_('%(where)s: "%(key)s" is empty.') % {"where": where, "key": key}]
    return blank_errors(value, where, key) if blanks else []
