"""The demo questionnaire's screening rules as tables the screening tests check them against:
an all-clear answer set, the outcome of changing each single answer, and the rows of
../shared/clinical/FACTS.md section 1; and `screen`, which does what the app does with answers."""

from __future__ import annotations

import re
from typing import Any

from consent.content import demo_questionnaire
from consent.screening import BLOCK, CLEAR, REVIEW, Result, clean_answers, evaluate

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
