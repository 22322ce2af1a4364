"""The demo consent form as a signer reads it. Pure: no database."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from consent.content import demo_consent_form
from consent.documents import render_text, rendered_sections, sha256_of, sha256_text

FORM: dict[str, Any] = {**demo_consent_form(), "version": 1}
CONTEXT = {
    "clinic_name": "Harbour Physio",
    "practitioner_name": "Sam Rivers",
    "practitioner_disclosure": "Sam Rivers holds a dry-needling certificate from an approved course.",
}
TEXT = render_text(FORM, CONTEXT)
LINES = TEXT.splitlines()
SECTION_IDS = ["what", "benefits", "risks", "alternatives", "decline", "withdraw", "records", "training", "ongoing"]
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# Every figure FACTS.md section 2 gives, by the effect it belongs to (matched on the start of the effect's name).
FACTS_FIGURES: list[tuple[str, tuple[str, ...]]] = [
    ("Bruising", ("7.55%", "Brady 2014", "7.7%", "Boyce 2020")),
    ("Bleeding", ("4.65%", "16%")),
    ("Pain during", ("3.01%", "5.9%")),
    ("Pain after", ("2.19%",)),
    ("Your symptoms feel worse", ("0.88%",)),
    ("Feeling sleepy (drowsiness)", ("0.26%",)),
    ("Headache", ("0.14%",)),
    ("Feeling sick (nausea)", ("0.13%",)),
    ("Feeling tired (fatigue)", ("0.04%",)),
    ("Soreness after needling", ("common", "not known", "72 hours")),
    ("Feeling faint or fainting", ("not known",)),
    ("Infection", ("not known", "rare")),
    ("Nerve irritation", ("not known", "rare")),
    ("Collapsed lung (pneumothorax)", ("rare but serious", "200,000", "acupuncture", "hours or even days later")),
    ("Serious problems", ("under 1 in 1,000", "1 in 1,024")),
]
# Effects with no rate in FACTS: the form must say so rather than give a number.
NO_RATE = ["Soreness after needling", "Feeling faint or fainting", "Infection", "Nerve irritation"]
# Every percentage FACTS section 2 gives; the form may print no other.
FACTS_PERCENTAGES = {
    "19.18%",
    "0.04%",
    "7.55%",
    "4.65%",
    "3.01%",
    "2.19%",
    "0.88%",
    "0.26%",
    "0.14%",
    "0.13%",
    "36.7%",
    "16%",
    "7.7%",
    "5.9%",
    "0.1%",
}


def effect_line(name: str) -> str:
    matches = [line for line in LINES if line.startswith(f"- {name}")]
    assert len(matches) == 1, name
    return matches[0]


def section(section_id: str) -> dict[str, Any]:
    return next(s for s in rendered_sections(FORM, CONTEXT) if s["id"] == section_id)


def test_the_form_has_the_consent_form_version_fields() -> None:
    assert set(demo_consent_form()) == {
        "title",
        "sections",
        "side_effects",
        "acknowledgements",
        "intent_statement",
        "e_records_disclosure",
    }


def test_sections_are_present_in_order() -> None:
    assert [s["id"] for s in FORM["sections"]] == SECTION_IDS
    for s in FORM["sections"]:
        assert s["heading"].strip()
        assert s["paragraphs"]
        assert all(p.strip() for p in s["paragraphs"])


def test_headings_appear_in_order_in_the_text() -> None:
    positions = [LINES.index(s["heading"]) for s in FORM["sections"]]
    assert positions == sorted(positions)


@pytest.mark.parametrize("effect", demo_consent_form()["side_effects"], ids=lambda e: e["effect"])
def test_every_side_effect_is_printed_with_how_often_it_happens(effect: dict[str, str]) -> None:
    line = effect_line(effect["effect"])
    assert line.startswith(f"- {effect['effect']}: {effect['how_often']}.")
    if effect["note"]:
        assert effect["note"] in line


@pytest.mark.parametrize(("name", "figures"), FACTS_FIGURES, ids=[name for name, _ in FACTS_FIGURES])
def test_each_side_effect_gives_the_facts_figures(name: str, figures: tuple[str, ...]) -> None:
    line = effect_line(name)
    for figure in figures:
        assert figure in line, f"{name}: {figure}"


def test_every_side_effect_in_the_form_is_in_the_facts_table() -> None:
    names = {e["effect"] for e in FORM["side_effects"]}
    assert all(any(n.startswith(name) for name, _ in FACTS_FIGURES) for n in names)
    assert len(names) == len(FACTS_FIGURES)


@pytest.mark.parametrize("name", NO_RATE)
def test_effects_without_a_rate_say_not_known(name: str) -> None:
    effect = next(e for e in FORM["side_effects"] if e["effect"].startswith(name))
    assert "not known" in effect["how_often"]
    assert not re.search(r"\d", effect["how_often"])  # no invented number


def test_the_risks_section_gives_the_overall_figures_and_the_studies() -> None:
    risks = " ".join(section("risks")["paragraphs"])
    for expected in ("7,629", "19.18%", "Brady", "2014", "20,464", "36.7%", "Boyce", "2020", "1 in 1,024"):
        assert expected in risks, expected
    assert "under 1 in every 1,000" in risks


def test_side_effects_are_printed_under_the_risks_heading() -> None:
    risks_at = LINES.index(section("risks")["heading"])
    next_at = LINES.index(section("alternatives")["heading"])
    for effect in FORM["side_effects"]:
        assert risks_at < LINES.index(effect_line(effect["effect"])) < next_at


def test_every_percentage_printed_comes_from_facts() -> None:
    printed = set(re.findall(r"\d+(?:\.\d+)?%", TEXT))
    assert printed <= FACTS_PERCENTAGES, printed - FACTS_PERCENTAGES


def test_the_pneumothorax_warning_says_what_to_do() -> None:
    line = effect_line("Collapsed lung (pneumothorax)")
    for words in ("chest pain", "short of breath", "emergency"):
        assert words in line


def test_blanks_are_filled() -> None:
    assert "{" not in TEXT
    assert "}" not in TEXT
    for value in CONTEXT.values():
        assert value in TEXT


def test_the_training_section_names_the_practitioner_and_clinic() -> None:
    raw = next(s for s in FORM["sections"] if s["id"] == "training")
    assert any("{practitioner_disclosure}" in p for p in raw["paragraphs"])
    assert any("{practitioner_name}" in p and "{clinic_name}" in p for p in raw["paragraphs"])
    assert CONTEXT["practitioner_disclosure"] in section("training")["paragraphs"]


def test_the_text_is_stable() -> None:
    again = render_text({**demo_consent_form(), "version": 1}, dict(CONTEXT))
    assert sha256_text(again) == sha256_text(TEXT)
    assert sha256_of(demo_consent_form()) == sha256_of(demo_consent_form())


def test_each_call_returns_a_fresh_copy() -> None:
    first = demo_consent_form()
    kept = copy.deepcopy(first)
    first["sections"][0]["paragraphs"].append("changed")
    first["side_effects"].clear()
    assert demo_consent_form() == kept


def test_the_text_has_no_doubled_full_stops() -> None:
    assert ".." not in TEXT
    assert all(not e["how_often"].endswith(".") for e in FORM["side_effects"])


def test_acknowledgements_have_unique_stable_ids() -> None:
    acks = FORM["acknowledgements"]
    ids = [a["id"] for a in acks]
    assert 5 <= len(acks) <= 7
    assert len(ids) == len(set(ids))
    assert all(SNAKE.match(i) for i in ids), ids
    assert all(a["text"].strip() for a in acks)


def test_acknowledgements_cover_what_the_signer_confirms() -> None:
    text = " ".join(a["text"] for a in FORM["acknowledgements"]).lower()
    for words in (
        "read and understood",
        "side effects",
        "ask questions",
        "withdraw",
        "truthfully",
        "health changes",
        "in person",
        "electronically",
    ):
        assert words in text, words


def test_the_intent_statement_makes_the_typed_name_a_signature() -> None:
    statement = FORM["intent_statement"]
    assert "typing my full name" in statement.lower()
    assert "electronic signature" in statement
    assert "intend to sign" in statement


def test_the_records_section_and_disclosure_cover_esign() -> None:
    for text in (" ".join(section("records")["paragraphs"]), FORM["e_records_disclosure"]):
        lowered = text.lower()
        for words in ("electronic", "paper copy", "withdraw", "web browser", "email", "pdf", "retention period"):
            assert words in lowered, words


def test_the_ongoing_section_explains_re_consent() -> None:
    ongoing = " ".join(section("ongoing")["paragraphs"]).lower()
    for words in ("check with you again", "health has changed", "sign a new consent"):
        assert words in ongoing, words


def test_the_withdraw_section_says_how() -> None:
    withdraw = " ".join(section("withdraw")["paragraphs"]).lower()
    for words in ("any time", "tell your practitioner", "in the app"):
        assert words in withdraw, words


def test_sentences_are_short() -> None:
    paragraphs = [p for s in rendered_sections(FORM, CONTEXT) for p in s["paragraphs"]]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.?!])\s+", p) if s]
    longest = max(sentences, key=lambda s: len(s.split()))
    assert len(longest.split()) <= 30, longest
    assert sum(len(s.split()) for s in sentences) / len(sentences) <= 15
