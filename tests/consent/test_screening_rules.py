"""The demo questionnaire's screening rules, table by table. Pure: no database.

Each rule is tested by starting from an all-clear answer set, changing one answer and
checking the outcome and the reason code (the tables are in tests/consent/screening_tables.py)."""

from __future__ import annotations

from typing import Any

import pytest

from consent.content import demo_questionnaire
from consent.screening import BLOCK, CLEAR, MAX_TEXT, REVIEW, AnswersInvalid, clean_answers
from tests.consent.screening_tables import ALL_CLEAR, ITEMS, SINGLE_ANSWER_RULES, screen, with_answer

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
