"""Pure screening rules: answers + a questionnaire version -> clear, review or block.

No database (Django only for gettext, so the messages speak the reader's language). A questionnaire's `items` are dicts:

    {"id": "blood_thinners", "text": "...", "help": "...", "type": "yes_no" | "choice" | "text",
     "required": true,
     "options": [{"value": "yes", "label": "Yes", "outcome": "review", "code": "bleeding_risk",
                  "explanation": "plain words for the patient", "site": false}, ...],   # yes_no/choice
     "if_answered": {"outcome": ..., "code": ..., "explanation": ...}}                  # text items

and `combined_rules` are dicts {"when": {item_id: value, "context:minor": true}, "outcome", "code",
"explanation"} for rules no single answer decides (needling near the chest with low body weight;
a patient under the age of majority). Block beats review beats clear; every reason is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

CLEAR, REVIEW, BLOCK = "clear", "review", "block"
_RANK = {CLEAR: 0, REVIEW: 1, BLOCK: 2}
MAX_TEXT = 1000


@dataclass(frozen=True)
class Reason:
    item: str
    code: str
    outcome: str
    explanation: str
    site: bool = False  # a rule about one area: the practitioner must see it, the visit may go ahead

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "code": self.code,
            "outcome": self.outcome,
            "explanation": self.explanation,
            "site": self.site,
        }


@dataclass(frozen=True)
class Result:
    outcome: str
    reasons: tuple[Reason, ...]


class AnswersInvalid(ValueError):
    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))
        self.fields = fields


def clean_answers(items: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Check answers against the items; return them normalised or raise AnswersInvalid."""
    errors: dict[str, list[str]] = {}
    by_id = {item["id"]: item for item in items}
    for unknown in sorted(set(answers) - set(by_id)):
        errors[unknown] = [_("This is not a question on this form.")]
    cleaned: dict[str, Any] = {}
    for item_id, item in by_id.items():
        value = answers.get(item_id)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if item.get("required", True):
                errors[item_id] = [_("Please answer this question.")]
            continue
        if item["type"] == "text":
            if not isinstance(value, str) or len(value) > MAX_TEXT:
                errors[item_id] = [_("Please answer in words, up to %(count)s characters.") % {"count": MAX_TEXT}]
                continue
        elif not isinstance(value, str) or value not in {option["value"] for option in item["options"]}:
            errors[item_id] = [_("Please choose one of the answers given.")]
            continue
        cleaned[item_id] = value
    if errors:
        raise AnswersInvalid(errors)
    return cleaned


def evaluate(
    items: Sequence[Mapping[str, Any]],
    answers: Mapping[str, Any],
    *,
    combined_rules: Sequence[Mapping[str, Any]] = (),
    context: Mapping[str, bool] | None = None,
) -> Result:
    """The outcome and every reason for it. Answers must already be clean."""
    reasons: list[Reason] = []
    for item in items:
        value = answers.get(item["id"])
        if value in (None, ""):
            continue
        rule = item.get("if_answered") if item["type"] == "text" else _option(item, value)
        if rule and rule.get("outcome", CLEAR) != CLEAR:
            reasons.append(_reason(item["id"], rule))
    flags = context or {}
    for rule in combined_rules:
        if all(_matches(key, expected, answers, flags) for key, expected in rule["when"].items()):
            reasons.append(_reason(rule.get("item", "+".join(rule["when"])), rule))
    outcome = max((r.outcome for r in reasons), key=_RANK.__getitem__, default=CLEAR)
    return Result(outcome=outcome, reasons=tuple(sorted(reasons, key=lambda r: -_RANK[r.outcome])))


def _option(item: Mapping[str, Any], value: Any) -> Mapping[str, Any] | None:
    return next((option for option in item["options"] if option["value"] == value), None)


def _matches(key: str, expected: Any, answers: Mapping[str, Any], flags: Mapping[str, bool]) -> bool:
    if key.startswith("context:"):
        return bool(flags.get(key.removeprefix("context:"))) == bool(expected)
    return answers.get(key) == expected


def _reason(item_id: str, rule: Mapping[str, Any]) -> Reason:
    return Reason(
        item=item_id,
        code=rule["code"],
        outcome=rule["outcome"],
        explanation=rule["explanation"],
        site=bool(rule.get("site", False)),
    )


def explanations(
    items: Sequence[Mapping[str, Any]], combined_rules: Sequence[Mapping[str, Any]] = ()
) -> dict[tuple[str, str], str]:
    """(item, code) -> explanation, as a reason of these items and rules would say it: to
    show a screening's reasons in the language its questions were shown in."""
    found: dict[tuple[str, str], str] = {}
    for item in items:
        for rule in [*item.get("options", []), item.get("if_answered") or {}]:
            if rule.get("code"):
                found.setdefault((item["id"], rule["code"]), rule.get("explanation", ""))
    for rule in combined_rules:
        found.setdefault((rule.get("item", "+".join(rule["when"])), rule["code"]), rule["explanation"])
    return found
