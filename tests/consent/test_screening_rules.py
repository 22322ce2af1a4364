"""The demo questionnaire's screening rules, table by table. Pure: no database.

Each rule is tested by starting from an all-clear answer set, changing one answer and
checking the outcome and the reason code. The FACTS table at the end pins down that every
row of ../shared/clinical/FACTS.md section 1 is covered by the demo questionnaire."""

from __future__ import annotations

import re
from typing import Any

import pytest

from consent.content import demo_questionnaire
from consent.screening import BLOCK, CLEAR, MAX_TEXT, REVIEW, AnswersInvalid, Result, clean_answers, evaluate

QUESTIONNAIRE = demo_questionnaire()
ITEMS: list[dict[str, Any]] = QUESTIONNAIRE["items"]
RULES: list[dict[str, Any]] = QUESTIONNAIRE["combined_rules"]
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# Every required question answered in the way that raises no flag; the free-text list left empty.
ALL_CLEAR: dict[str, str] = {
    "unwell_today": "no",
    "needle_feelings": "fine",
    "fainted_with_needles": "no",
    "bad_reaction_before": "no",
    "decision_making": "self",
    "blood_thinners": "no",
    "bleeding_disorder": "no",
    "recent_surgery": "no",
    "weak_immune_system": "no",
    "heart_valve": "no",
    "unstable_heart": "no",
    "implanted_device": "no",
    "vascular_disease": "no",
    "lymphoedema": "no",
    "lymph_nodes_removed": "no",
    "diabetes": "no",
    "epilepsy": "no",
    "pregnant": "no",
    "frailty": "no",
    "metal_allergy": "no",
    "area_near_chest": "no",
    "low_body_weight": "no",
    "skin_problem_at_area": "no",
    "varicose_veins_at_area": "no",
}

# (item, answer, outcome, the option's reason code, site flag, codes from combined rules it also triggers)
SINGLE_ANSWER_RULES: list[tuple[str, str, str, str, bool, frozenset[str]]] = [
    ("unwell_today", "yes", BLOCK, "acute_illness_today", False, frozenset()),
    ("needle_feelings", "anxious", REVIEW, "needle_anxiety", False, frozenset()),
    ("needle_feelings", "phobia", BLOCK, "needle_phobia", False, frozenset()),
    ("needle_feelings", "no_needles", BLOCK, "declines_needling", False, frozenset()),
    ("fainted_with_needles", "yes", REVIEW, "fainting_with_needles", False, frozenset()),
    ("bad_reaction_before", "yes", BLOCK, "previous_abnormal_reaction", False, frozenset()),
    ("decision_making", "with_decision_maker", REVIEW, "substitute_decision_maker", False, frozenset()),
    ("decision_making", "hard_to_understand", BLOCK, "cannot_give_consent", False, frozenset()),
    ("blood_thinners", "yes", REVIEW, "blood_thinner_medicine", False, frozenset({"bleeding_site_compression"})),
    ("bleeding_disorder", "yes", REVIEW, "bleeding_tendency", False, frozenset({"bleeding_site_compression"})),
    ("recent_surgery", "yes", REVIEW, "recent_surgery", False, frozenset()),
    ("weak_immune_system", "yes", REVIEW, "weakened_immunity", False, frozenset()),
    ("heart_valve", "yes", REVIEW, "heart_valve_or_endocarditis", False, frozenset()),
    ("unstable_heart", "yes", REVIEW, "unstable_heart_condition", False, frozenset()),
    ("implanted_device", "yes", REVIEW, "implanted_electrical_device", False, frozenset()),
    ("vascular_disease", "yes", REVIEW, "vascular_disease", False, frozenset()),
    ("lymphoedema", "yes", BLOCK, "lymphoedema", False, frozenset()),
    ("lymph_nodes_removed", "yes", REVIEW, "lymph_nodes_removed", False, frozenset()),
    ("diabetes", "yes", REVIEW, "diabetes", False, frozenset()),
    ("epilepsy", "controlled", REVIEW, "epilepsy_controlled", False, frozenset()),
    ("epilepsy", "uncontrolled", BLOCK, "epilepsy_uncontrolled", False, frozenset()),
    ("pregnant", "yes", REVIEW, "pregnancy", False, frozenset()),
    ("frailty", "yes", REVIEW, "frailty", False, frozenset()),
    ("metal_allergy", "yes", REVIEW, "metal_allergy", False, frozenset()),
    ("skin_problem_at_area", "yes", REVIEW, "skin_problem_at_site", True, frozenset()),
    ("varicose_veins_at_area", "yes", REVIEW, "varicose_veins_at_site", True, frozenset()),
]

# One entry per row of FACTS.md section 1: (table, the row as FACTS words it, {reason code: (outcome, site)}).
FACTS_RULES: list[tuple[str, str, dict[str, tuple[str, bool]]]] = [
    (
        "block",
        "needle phobia, or the patient does not want needling",
        {"needle_phobia": (BLOCK, False), "declines_needling": (BLOCK, False)},
    ),
    (
        "block",
        "cannot give informed consent and no valid substitute decision-maker",
        {"cannot_give_consent": (BLOCK, False), "substitute_decision_maker": (REVIEW, False)},
    ),
    ("block", "medical emergency or acute medical condition today", {"acute_illness_today": (BLOCK, False)}),
    (
        "block",
        "previous abnormal reaction to dry needling or an injection",
        {"previous_abnormal_reaction": (BLOCK, False)},
    ),
    ("block", "needling in a limb or area with lymphoedema", {"lymphoedema": (BLOCK, False)}),
    (
        "block (site)",
        "anticoagulants / clotting disorder where the muscle cannot be compressed",
        {"bleeding_site_compression": (REVIEW, True)},
    ),
    (
        "block (site)",
        "infected, broken or acutely inflamed skin, or varicose veins at the site",
        {"skin_problem_at_site": (REVIEW, True), "varicose_veins_at_site": (REVIEW, True)},
    ),
    (
        "review",
        "bleeding tendency, anticoagulant or antiplatelet medicine",
        {"blood_thinner_medicine": (REVIEW, False), "bleeding_tendency": (REVIEW, False)},
    ),
    (
        "review",
        "compromised immunity: cancer, HIV, hepatitis, immunosuppressants, endocarditis, heart valves",
        {"weakened_immunity": (REVIEW, False), "heart_valve_or_endocarditis": (REVIEW, False)},
    ),
    ("review", "vascular disease", {"vascular_disease": (REVIEW, False)}),
    ("review", "lymph nodes removed (limb at risk)", {"lymph_nodes_removed": (REVIEW, False)}),
    ("review", "diabetes", {"diabetes": (REVIEW, False)}),
    ("review", "pregnant or may be pregnant", {"pregnancy": (REVIEW, False)}),
    ("review", "under the age of majority", {"minor_needs_guardian": (REVIEW, False)}),
    ("review", "frailty", {"frailty": (REVIEW, False)}),
    (
        "review",
        "epilepsy (uncontrolled: treat as block)",
        {"epilepsy_controlled": (REVIEW, False), "epilepsy_uncontrolled": (BLOCK, False)},
    ),
    (
        "review",
        "anxiety, or fainting with needles before",
        {"needle_anxiety": (REVIEW, False), "fainting_with_needles": (REVIEW, False)},
    ),
    ("review", "metal allergy (nickel, chromium, stainless steel)", {"metal_allergy": (REVIEW, False)}),
    (
        "review",
        "pacemaker, ICD or other implanted electrical device",
        {"implanted_electrical_device": (REVIEW, False)},
    ),
    ("review", "unstable heart condition", {"unstable_heart_condition": (REVIEW, False)}),
    (
        "review",
        "needling near the chest wall with low body weight",
        {"chest_wall_low_body_weight": (REVIEW, False)},
    ),
    (
        "review",
        "current medicines (list), recent surgery",
        {"current_medicines": (REVIEW, False), "recent_surgery": (REVIEW, False)},
    ),
]


def screen(answers: dict[str, Any], context: dict[str, bool] | None = None) -> Result:
    """What the app does: clean the answers, then evaluate them with the combined rules."""
    return evaluate(ITEMS, clean_answers(ITEMS, answers), combined_rules=RULES, context=context)


def with_answer(item_id: str, value: Any) -> dict[str, Any]:
    return {**ALL_CLEAR, item_id: value}


def all_rules() -> list[tuple[str, dict[str, Any]]]:
    """Every non-clear rule in the questionnaire, as (where it lives, the rule)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for item in ITEMS:
        if item["type"] == "text":
            found.append((item["id"], item["if_answered"]))
        for option in item.get("options", []):
            if option["outcome"] != CLEAR:
                found.append((f"{item['id']}={option['value']}", option))
    found.extend(("+".join(rule["when"]), rule) for rule in RULES)
    return found


def rule_outcomes() -> dict[str, set[tuple[str, bool]]]:
    outcomes: dict[str, set[tuple[str, bool]]] = {}
    for _, rule in all_rules():
        outcomes.setdefault(rule["code"], set()).add((rule["outcome"], bool(rule.get("site", False))))
    return outcomes


# --- the baseline -----------------------------------------------------------------------------


def test_baseline_answers_every_required_item_and_nothing_else() -> None:
    required = {item["id"] for item in ITEMS if item["required"]}
    assert set(ALL_CLEAR) == required


def test_all_clear_baseline_is_clear() -> None:
    result = screen(ALL_CLEAR)
    assert result.outcome == CLEAR
    assert result.reasons == ()


# --- one answer changed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "value", "outcome", "code", "site", "also"),
    SINGLE_ANSWER_RULES,
    ids=[f"{row[0]}={row[1]}" for row in SINGLE_ANSWER_RULES],
)
def test_one_answer_changed(
    item_id: str, value: str, outcome: str, code: str, site: bool, also: frozenset[str]
) -> None:
    result = screen(with_answer(item_id, value))

    assert result.outcome == outcome
    assert {r.code for r in result.reasons} == {code} | also
    reason = next(r for r in result.reasons if r.code == code)
    assert reason.item == item_id
    assert reason.outcome == outcome
    assert reason.site is site
    assert reason.explanation


def test_the_table_covers_every_non_clear_option() -> None:
    in_data = {
        (item["id"], option["value"])
        for item in ITEMS
        for option in item.get("options", [])
        if option["outcome"] != CLEAR
    }
    in_table = {(row[0], row[1]) for row in SINGLE_ANSWER_RULES}
    assert in_table == in_data


@pytest.mark.parametrize(
    ("item_id", "value"),
    [
        (item["id"], option["value"])
        for item in demo_questionnaire()["items"]
        for option in item.get("options", [])
        if option["outcome"] == CLEAR
    ],
)
def test_clear_options_raise_no_flag_on_their_own(item_id: str, value: str) -> None:
    result = screen(with_answer(item_id, value))
    assert result.outcome == CLEAR
    assert result.reasons == ()


# --- text, combined and context rules ----------------------------------------------------------


def test_listing_medicines_needs_review() -> None:
    result = screen({**ALL_CLEAR, "medicines": "ibuprofen 200 mg when needed"})
    assert result.outcome == REVIEW
    [reason] = result.reasons
    assert (reason.item, reason.code, reason.site) == ("medicines", "current_medicines", False)


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_the_medicines_list_is_optional_and_empty_is_clear(empty: str | None) -> None:
    answers: dict[str, Any] = {**ALL_CLEAR, "medicines": empty}
    assert "medicines" not in clean_answers(ITEMS, answers)
    assert screen(answers).outcome == CLEAR


@pytest.mark.parametrize(
    ("near_chest", "low_weight", "outcome"),
    [("no", "no", CLEAR), ("yes", "no", CLEAR), ("no", "yes", CLEAR), ("yes", "yes", REVIEW)],
)
def test_chest_wall_with_low_body_weight(near_chest: str, low_weight: str, outcome: str) -> None:
    result = screen({**ALL_CLEAR, "area_near_chest": near_chest, "low_body_weight": low_weight})
    assert result.outcome == outcome
    if outcome == REVIEW:
        [reason] = result.reasons
        assert reason.code == "chest_wall_low_body_weight"
        assert reason.item == "area_near_chest+low_body_weight"
        assert "pneumothorax" in reason.explanation
    else:
        assert result.reasons == ()


@pytest.mark.parametrize(
    ("context", "outcome"),
    [({"minor": True}, REVIEW), ({"minor": False}, CLEAR), ({}, CLEAR), (None, CLEAR)],
)
def test_a_minor_needs_review(context: dict[str, bool] | None, outcome: str) -> None:
    result = screen(ALL_CLEAR, context=context)
    assert result.outcome == outcome
    assert [r.code for r in result.reasons] == (["minor_needs_guardian"] if outcome == REVIEW else [])


def test_a_minor_with_a_block_answer_is_still_blocked_and_keeps_both_reasons() -> None:
    result = screen(with_answer("lymphoedema", "yes"), context={"minor": True})
    assert result.outcome == BLOCK
    assert [r.code for r in result.reasons] == ["lymphoedema", "minor_needs_guardian"]


@pytest.mark.parametrize("item_id", ["blood_thinners", "bleeding_disorder"])
def test_bleeding_risk_flags_the_site_and_still_needs_approval(item_id: str) -> None:
    result = screen(with_answer(item_id, "yes"))
    by_code = {r.code: r for r in result.reasons}
    assert by_code["bleeding_site_compression"].site is True
    assert by_code["bleeding_site_compression"].item == item_id
    general = next(r for r in result.reasons if r.code != "bleeding_site_compression")
    assert general.site is False  # the approval itself is not only about an area
    assert result.outcome == REVIEW


@pytest.mark.parametrize("item_id", ["skin_problem_at_area", "varicose_veins_at_area"])
def test_site_flag_is_carried_into_the_stored_reason(item_id: str) -> None:
    [reason] = screen(with_answer(item_id, "yes")).reasons
    assert reason.site is True
    assert reason.as_dict()["site"] is True
    assert reason.outcome == REVIEW  # a site rule flags the area; it does not stop the visit


# --- precedence and keeping every reason -------------------------------------------------------


def test_block_beats_review_beats_clear_and_every_reason_is_kept() -> None:
    answers = {
        **ALL_CLEAR,
        "needle_feelings": "anxious",  # review
        "diabetes": "yes",  # review
        "lymphoedema": "yes",  # block
        "epilepsy": "uncontrolled",  # block
        "skin_problem_at_area": "yes",  # review, site
        "medicines": "metformin",  # review
        "area_near_chest": "yes",
        "low_body_weight": "yes",  # review together
    }
    result = screen(answers, context={"minor": True})

    assert result.outcome == BLOCK
    assert sorted(r.code for r in result.reasons) == sorted(
        [
            "needle_anxiety",
            "diabetes",
            "lymphoedema",
            "epilepsy_uncontrolled",
            "skin_problem_at_site",
            "current_medicines",
            "chest_wall_low_body_weight",
            "minor_needs_guardian",
        ]
    )
    ranks = [{CLEAR: 0, REVIEW: 1, BLOCK: 2}[r.outcome] for r in result.reasons]
    assert ranks == sorted(ranks, reverse=True)  # the blocks come first


def test_review_beats_clear() -> None:
    result = screen({**ALL_CLEAR, "pregnant": "yes", "metal_allergy": "yes"})
    assert result.outcome == REVIEW
    assert {r.code for r in result.reasons} == {"pregnancy", "metal_allergy"}


# --- invalid answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("item_id", sorted(ALL_CLEAR))
def test_a_missing_required_answer_is_named(item_id: str) -> None:
    answers = {k: v for k, v in ALL_CLEAR.items() if k != item_id}
    with pytest.raises(AnswersInvalid) as caught:
        clean_answers(ITEMS, answers)
    assert set(caught.value.fields) == {item_id}


def test_a_blank_required_answer_counts_as_missing() -> None:
    with pytest.raises(AnswersInvalid) as caught:
        clean_answers(ITEMS, {**ALL_CLEAR, "diabetes": "  "})
    assert set(caught.value.fields) == {"diabetes"}


def test_an_unknown_item_is_named() -> None:
    with pytest.raises(AnswersInvalid) as caught:
        clean_answers(ITEMS, {**ALL_CLEAR, "favourite_colour": "blue"})
    assert set(caught.value.fields) == {"favourite_colour"}


@pytest.mark.parametrize(
    ("item_id", "value"),
    [("diabetes", "maybe"), ("epilepsy", "yes"), ("needle_feelings", "no"), ("pregnant", True)],
)
def test_an_invalid_option_is_named(item_id: str, value: Any) -> None:
    with pytest.raises(AnswersInvalid) as caught:
        clean_answers(ITEMS, with_answer(item_id, value))
    assert set(caught.value.fields) == {item_id}


@pytest.mark.parametrize("value", ["x" * (MAX_TEXT + 1), 42, ["aspirin"]])
def test_too_long_or_non_text_medicines_are_named(value: Any) -> None:
    with pytest.raises(AnswersInvalid) as caught:
        clean_answers(ITEMS, {**ALL_CLEAR, "medicines": value})
    assert set(caught.value.fields) == {"medicines"}


def test_text_at_the_limit_is_accepted() -> None:
    assert clean_answers(ITEMS, {**ALL_CLEAR, "medicines": "x" * MAX_TEXT})["medicines"] == "x" * MAX_TEXT


def test_every_problem_is_named_at_once() -> None:
    answers = {k: v for k, v in ALL_CLEAR.items() if k != "frailty"}
    answers.update({"diabetes": "sometimes", "shoe_size": "9", "medicines": "y" * (MAX_TEXT + 1)})
    with pytest.raises(AnswersInvalid) as caught:
        clean_answers(ITEMS, answers)
    assert set(caught.value.fields) == {"frailty", "diabetes", "shoe_size", "medicines"}


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
