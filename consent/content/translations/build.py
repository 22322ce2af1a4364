"""Put one language's words into a fresh copy of the English demo form or questionnaire.

The words modules (es_consent.py, fr_questionnaire.py, ...) hold only what a person reads, keyed by the
source's ids (section ids, acknowledgement ids, item ids, option values, combined rules' codes) or, for
the side effects, which have no id, in the source's order. Everything else (ids, values, codes, outcomes,
flags, types) is copied from the English source, so a translation cannot drift from it. A words module
that misses a text, or has one the source does not, raises ValueError.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from typing import Any


def _exactly(where: str, wanted: Collection[str], given: Mapping[str, Any]) -> None:
    if set(wanted) != set(given):
        missing = sorted(set(wanted) - set(given))
        extra = sorted(set(given) - set(wanted))
        raise ValueError(f"{where}: missing {missing}, not in the source {extra}")


def _same_length(where: str, source: Sequence[Any], words: Sequence[Any]) -> list[Any]:
    if len(source) != len(words):
        raise ValueError(f"{where}: the source has {len(source)} texts, the translation {len(words)}")
    return list(words)


def consent_form(english: dict[str, Any], words: Mapping[str, Any]) -> dict[str, Any]:
    """The consent form `english` with every text replaced by the one in `words`."""
    form = copy.deepcopy(english)
    _exactly("consent form", form, words)
    form["title"] = words["title"]
    form["intent_statement"] = words["intent_statement"]
    form["e_records_disclosure"] = words["e_records_disclosure"]
    sections = words["sections"]
    _exactly("sections", [s["id"] for s in form["sections"]], sections)
    for section in form["sections"]:
        text = sections[section["id"]]
        section["heading"] = text["heading"]
        section["paragraphs"] = _same_length(section["id"], section["paragraphs"], text["paragraphs"])
    effects = _same_length("side_effects", form["side_effects"], words["side_effects"])
    for effect, text in zip(form["side_effects"], effects, strict=True):
        _exactly(f"side effect {effect['effect']!r}", effect, text)
        effect.update(text)
    acknowledgements = words["acknowledgements"]
    _exactly("acknowledgements", [a["id"] for a in form["acknowledgements"]], acknowledgements)
    for acknowledgement in form["acknowledgements"]:
        acknowledgement["text"] = acknowledgements[acknowledgement["id"]]
    return form


def questionnaire(english: dict[str, Any], words: Mapping[str, Any]) -> dict[str, Any]:
    """The questionnaire `english` with every text replaced by the one in `words`."""
    result = copy.deepcopy(english)
    _exactly("questionnaire", [*result, "yes_no"], words)
    result["title"] = words["title"]
    items = words["items"]
    _exactly("items", [item["id"] for item in result["items"]], items)
    for item in result["items"]:
        _translate_item(item, items[item["id"]], words["yes_no"])
    explanations = words["combined_rules"]
    _exactly("combined rules", {rule["code"] for rule in result["combined_rules"]}, explanations)
    for rule in result["combined_rules"]:
        rule["explanation"] = explanations[rule["code"]]
    return result


def _translate_item(item: dict[str, Any], text: Mapping[str, Any], yes_no: Mapping[str, str]) -> None:
    item["text"] = text["text"]
    item["help"] = text["help"]
    options = item.get("options", [])
    labels = yes_no if item["type"] == "yes_no" else text.get("options", {})
    _exactly(f"{item['id']} options", [o["value"] for o in options], labels)
    explained = [o["value"] for o in options if "explanation" in o]
    _exactly(f"{item['id']} explanations", explained, text.get("explanations", {}))
    for option in options:
        option["label"] = labels[option["value"]]
        if "explanation" in option:
            option["explanation"] = text["explanations"][option["value"]]
    if "if_answered" in item:
        item["if_answered"]["explanation"] = text["if_answered"]
    elif "if_answered" in text:
        raise ValueError(f"{item['id']}: the source has no if_answered")
