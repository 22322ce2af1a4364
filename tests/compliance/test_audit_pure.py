"""The pure parts: FHIR validation refuses what R4B refuses, and CSV cells never run as formulas."""

from __future__ import annotations

import pytest

from consent.csv_export import safe_cell, write_csv
from consent.fhir.validation import FhirInvalid, validate_bundle


def test_validation_reports_what_the_r4b_models_refuse() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:00000000-0000-0000-0000-000000000001",
                "resource": {"resourceType": "Consent", "status": "active"},
            }
        ],
    }

    with pytest.raises(FhirInvalid) as refused:
        validate_bundle(bundle)

    assert any("scope" in p for p in refused.value.problems)
    assert any("category" in p for p in refused.value.problems)


def test_validation_reports_our_own_checks_too() -> None:
    consent = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]},
        "category": [{"text": "Consent"}],
        "sourceAttachment": {"title": "text"},
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:00000000-0000-0000-0000-000000000002", "resource": consent}],
    }

    with pytest.raises(FhirInvalid) as refused:
        validate_bundle(bundle)

    assert any("ppc-5" in p for p in refused.value.problems)
    assert any("ppc-1" in p for p in refused.value.problems)


def test_an_unknown_resource_type_is_refused_like_any_other_invalid_bundle() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:00000000-0000-0000-0000-000000000003", "resource": {"resourceType": "Nope"}}],
    }

    with pytest.raises(FhirInvalid) as refused:
        validate_bundle(bundle)

    assert any("Nope" in p for p in refused.value.problems)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Pat", "Pat"),
        (None, ""),
        (7, "7"),
    ],
)
def test_cells_that_look_like_formulas_are_defused(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_the_csv_has_a_header_and_crlf_lines() -> None:
    text = write_csv([{"a": "x,y", "b": '"q"'}], [("a", "A"), ("b", "B")])

    assert text == 'A,B\r\n"x,y","""q"""\r\n'
