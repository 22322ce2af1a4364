"""The demo consent form and health screening in Spanish and French: the English source's structure,
every text translated, every figure and {blank} kept. Pure: no database."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from consent.content import demo_consent_form, demo_questionnaire
from consent.content.translations import (
    LANGUAGES,
    build,
    es_consent,
    translated_consent_form,
    translated_questionnaire,
)
from consent.documents import render_text
from consent.translation_checks import CONSENT_FORM_TEXTS, QUESTIONNAIRE_TEXTS

# The keys whose values a person reads (the checker's own lists); everything else is machine data.
CONSENT_TEXT_KEYS = CONSENT_FORM_TEXTS
QUESTIONNAIRE_TEXT_KEYS = QUESTIONNAIRE_TEXTS
DOCUMENTS = {
    "consent": (demo_consent_form, translated_consent_form, CONSENT_TEXT_KEYS),
    "questionnaire": (demo_questionnaire, translated_questionnaire, QUESTIONNAIRE_TEXT_KEYS),
}
# Texts that read the same in a translation: empty notes, a paragraph that is only a blank, and "No".
SAME_IN_EVERY_LANGUAGE = {"", "{practitioner_disclosure}"}
SAME_IN = {"es": {"No"}, "fr": set()}
TEXT = "<text>"

ENGLISH_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")  # 20,464 and 7.55
LOCAL_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?")  # 20 464 and 7,55
BLANK = re.compile(r"\{(\w+)\}")

CASES = [(language, document) for language in LANGUAGES for document in DOCUMENTS]


def masked(value: Any, text_keys: frozenset[str]) -> Any:
    """`value` with every text (a string, or a list of strings, under a text key) replaced by TEXT."""
    if isinstance(value, dict):
        return {key: _mask(v) if key in text_keys else masked(v, text_keys) for key, v in value.items()}
    if isinstance(value, list):
        return [masked(v, text_keys) for v in value]
    return value


def _mask(value: Any) -> Any:
    if isinstance(value, list):
        assert all(isinstance(v, str) for v in value), value
        return [TEXT] * len(value)
    assert isinstance(value, str), value
    return TEXT


def texts(value: Any, text_keys: frozenset[str], path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in `value`, with where it is, in document order."""
    if isinstance(value, dict):
        for key, v in value.items():
            where = f"{path}.{key}" if path else key
            if key in text_keys:
                yield from ((f"{where}[{i}]", s) for i, s in enumerate(v)) if isinstance(v, list) else [(where, v)]
            else:
                yield from texts(v, text_keys, where)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from texts(v, text_keys, f"{path}[{i}]")


def english_numbers(text: str) -> list[str]:
    return sorted(n.replace(",", "") for n in ENGLISH_NUMBER.findall(text))


def local_numbers(text: str) -> list[str]:
    return sorted(re.sub(r"[ \u00a0\u202f]", "", n).replace(",", ".") for n in LOCAL_NUMBER.findall(text))


def pairs(language: str, document: str) -> list[tuple[str, str, str]]:
    """(where, English, translation) for every text of `document`."""
    source, translated, keys = DOCUMENTS[document]
    english, local = list(texts(source(), keys)), list(texts(translated(language), keys))
    assert [where for where, _ in english] == [where for where, _ in local]
    return [(where, en, tr) for (where, en), (_, tr) in zip(english, local, strict=True)]


# --- the pure helpers -----------------------------------------------------------------------------


def test_masked_hides_texts_and_keeps_machine_data() -> None:
    item = {"id": "x", "text": "Hello", "options": [{"value": "yes", "label": "Yes", "site": False}]}
    assert masked(item, QUESTIONNAIRE_TEXT_KEYS) == {
        "id": "x",
        "text": TEXT,
        "options": [{"value": "yes", "label": TEXT, "site": False}],
    }
    assert masked({"paragraphs": ["a", "b"]}, CONSENT_TEXT_KEYS) == {"paragraphs": [TEXT, TEXT]}


def test_the_number_helpers_read_each_languages_separators() -> None:
    assert english_numbers("about 1 in 1,024 (7.55%, Brady 2014)") == ["1", "1024", "2014", "7.55"]
    assert local_numbers("environ 1 sur 1024 (7,55 %, Brady 2014)") == ["1", "1024", "2014", "7.55"]
    assert local_numbers("1 de cada 200 000 (0,04 %)") == ["0.04", "1", "200000"]


# --- the translations -----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "document"), CASES)
def test_a_translation_has_exactly_the_sources_structure(language: str, document: str) -> None:
    source, translated, keys = DOCUMENTS[document]
    english, local = masked(source(), keys), masked(translated(language), keys)
    assert local == english
    assert json.dumps(local) == json.dumps(english)  # the same key order too


@pytest.mark.parametrize(("language", "document"), CASES)
def test_every_text_is_translated(language: str, document: str) -> None:
    left = [
        (where, tr)
        for where, en, tr in pairs(language, document)
        if tr == en and en not in SAME_IN_EVERY_LANGUAGE | SAME_IN[language]
    ]
    assert left == []
    assert all(tr.strip() for _, en, tr in pairs(language, document) if en.strip())


@pytest.mark.parametrize(("language", "document"), CASES)
def test_every_figure_is_kept(language: str, document: str) -> None:
    changed = [
        (where, english_numbers(en), local_numbers(tr))
        for where, en, tr in pairs(language, document)
        if english_numbers(en) != local_numbers(tr)
    ]
    assert changed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_side_effect_frequency_keeps_its_numbers_and_sources(language: str) -> None:
    english = demo_consent_form()["side_effects"]
    local = translated_consent_form(language)["side_effects"]
    for en, tr in zip(english, local, strict=True):
        assert local_numbers(tr["how_often"]) == english_numbers(en["how_often"]), en["effect"]
        for author in ("Brady", "Boyce", "White"):
            assert tr["how_often"].count(author) == en["how_often"].count(author), en["effect"]


@pytest.mark.parametrize(("language", "document"), CASES)
def test_every_blank_is_kept(language: str, document: str) -> None:
    changed = [
        (where, BLANK.findall(en), BLANK.findall(tr))
        for where, en, tr in pairs(language, document)
        if sorted(BLANK.findall(en)) != sorted(BLANK.findall(tr))
    ]
    assert changed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translated_form_renders_with_its_blanks_filled(language: str) -> None:
    context = {"clinic_name": "Harbour Physio", "practitioner_name": "Sam Rivers", "practitioner_disclosure": "D."}
    text = render_text({**translated_consent_form(language), "version": 1}, context)
    assert "Harbour Physio" in text
    assert "Sam Rivers" in text
    assert "{" not in text


@pytest.mark.parametrize("language", ["en-gb", "en", "de", "ES", ""])
def test_it_refuses_a_language_it_has_no_translation_for(language: str) -> None:
    with pytest.raises(ValueError, match="no demo translation"):
        translated_consent_form(language)
    with pytest.raises(ValueError, match="no demo translation"):
        translated_questionnaire(language)


def test_each_call_gives_a_fresh_copy() -> None:
    first = translated_consent_form("es")
    first["sections"][0]["paragraphs"].append("changed")
    first["side_effects"][0]["note"] = "changed"
    assert translated_consent_form("es") == build.consent_form(demo_consent_form(), es_consent.CONSENT_FORM)
    assert "changed" not in es_consent.SECTIONS["what"]["paragraphs"]
    assert es_consent.SIDE_EFFECTS[0]["note"] != "changed"


def test_a_translation_missing_a_text_is_refused() -> None:
    words = copy.deepcopy(es_consent.CONSENT_FORM)
    del words["sections"]["training"]
    with pytest.raises(ValueError, match="training"):
        build.consent_form(demo_consent_form(), words)
    words = copy.deepcopy(es_consent.CONSENT_FORM)
    words["sections"]["what"]["paragraphs"].pop()
    with pytest.raises(ValueError, match="what"):
        build.consent_form(demo_consent_form(), words)
