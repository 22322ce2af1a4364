"""The demo questionnaire's data: unique snake-case ids, complete items, a code and a next step
for every rule; and every row of ../shared/clinical/FACTS.md section 1 covered by it. Pure: no
database."""

from __future__ import annotations

from typing import Any

import pytest

from consent.content import demo_questionnaire
from consent.screening import BLOCK, CLEAR, REVIEW
from tests.consent.screening_tables import (
    FACTS_RULES,
    ITEMS,
    RULES,
    SNAKE,
    all_rules,
    rule_outcomes,
    screen,
    with_answer,
)

# --- the shape of the data ---------------------------------------------------------------------


def test_item_ids_are_unique_stable_snake_case() -> None:
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids))
    assert all(SNAKE.match(i) for i in ids), ids


@pytest.mark.parametrize("item", demo_questionnaire()["items"], ids=lambda item: item["id"])
def test_every_item_is_complete(item: dict[str, Any]) -> None:
    assert item["text"].strip()
    assert item["help"].strip()
    assert item["type"] in {"yes_no", "choice", "text"}
    assert item["required"] is (item["type"] != "text")  # only the free-text list is optional
    if item["type"] == "text":
        assert "options" not in item
        assert item["if_answered"]["outcome"] != CLEAR
    else:
        values = [option["value"] for option in item["options"]]
        assert len(values) == len(set(values))
        assert all(option["label"].strip() for option in item["options"])
        assert any(option["outcome"] == CLEAR for option in item["options"])
    if item["type"] == "yes_no":
        assert sorted(values) == ["no", "yes"]
    if item["type"] == "choice":
        assert len(values) >= 3


@pytest.mark.parametrize(("where", "rule"), all_rules(), ids=[where for where, _ in all_rules()])
def test_every_rule_has_a_code_and_tells_the_patient_what_happens_next(where: str, rule: dict[str, Any]) -> None:
    assert rule["outcome"] in {REVIEW, BLOCK}
    assert SNAKE.match(rule["code"]), rule["code"]
    text = rule["explanation"]
    if rule["outcome"] == BLOCK:
        assert "right for you now" in text
        assert "assessment without needling" in text
        assert "call the clinic" in text
    else:
        assert "practitioner will check" in text
        assert "before your appointment is confirmed" in text
    if rule.get("site"):
        assert rule["outcome"] == REVIEW  # site rules flag an area; they never block the visit


def test_a_code_means_one_outcome() -> None:
    assert {code: len(found) for code, found in rule_outcomes().items() if len(found) != 1} == {}


def test_combined_rules_name_real_items_and_values() -> None:
    by_id = {item["id"]: item for item in ITEMS}
    for rule in RULES:
        for key, expected in rule["when"].items():
            if key.startswith("context:"):
                assert key == "context:minor"
                assert expected is True
                continue
            assert expected in {option["value"] for option in by_id[key]["options"]}


def test_recent_surgery_is_reviewed_by_clinic_policy() -> None:
    [reason] = screen(with_answer("recent_surgery", "yes")).reasons
    assert "our clinic's policy" in reason.explanation


# --- FACTS section 1 is covered ----------------------------------------------------------------


def test_the_facts_table_has_every_row_of_facts_section_1() -> None:
    assert [kind for kind, _, _ in FACTS_RULES].count("block") == 5
    assert [kind for kind, _, _ in FACTS_RULES].count("block (site)") == 2
    assert [kind for kind, _, _ in FACTS_RULES].count("review") == 15


@pytest.mark.parametrize(("kind", "row", "codes"), FACTS_RULES, ids=[row for _, row, _ in FACTS_RULES])
def test_the_demo_questionnaire_covers_facts_rule(kind: str, row: str, codes: dict[str, tuple[str, bool]]) -> None:
    found = rule_outcomes()
    for code, (outcome, site) in codes.items():
        assert found.get(code) == {(outcome, site)}, f"{row}: {code}"
    primary = {"block": BLOCK, "block (site)": REVIEW, "review": REVIEW}[kind]
    assert any(outcome == primary for outcome, _ in codes.values())
    if kind == "block (site)":
        assert all(site for _, site in codes.values())


def test_every_rule_in_the_questionnaire_traces_to_a_facts_row() -> None:
    traced = {code for _, _, codes in FACTS_RULES for code in codes}
    assert set(rule_outcomes()) == traced
