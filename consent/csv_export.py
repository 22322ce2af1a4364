"""Signed consents as CSV rows. Pure: the caller loads the rows and writes the audit.

Health answers are columns only when the caller asks for them. Every cell that a
spreadsheet would read as a formula is defused (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from consent.models import QuestionnaireVersion

# (key, header) in the order they appear.
CONSENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "consent_id"),
    ("sequence", "chain_position"),
    ("clinic", "clinic"),
    ("signed_at_utc", "signed_at_utc"),
    ("signed_at_local", "signed_at_local"),
    ("status", "status"),
    ("patient_name", "patient_legal_name"),
    ("patient_email", "patient_email"),
    ("signer_role", "signer_role"),
    ("typed_name", "signed_name"),
    ("guardian_relationship", "guardian_relationship"),
    ("form", "form"),
    ("form_version", "form_version"),
    ("practitioner", "practitioner"),
    ("auth_method", "authentication"),
    ("ip_address", "ip_address"),
    ("withdrawn_at_utc", "withdrawn_at_utc"),
    ("row_hash", "record_sha256"),
)
# The language of the text signed: the last column of every export, after any health
# columns, so that each column from before keeps its place.
LANGUAGE_COLUMN: tuple[str, str] = ("language", "language")
# Health data: only when the admin asks for it (and the export row records that they did).
HEALTH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("screening_outcome", "screening_outcome"),
    ("screening_reasons", "screening_reasons"),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def answer_columns(questionnaires: Iterable[QuestionnaireVersion]) -> list[tuple[str, str]]:
    """One column per question id across the questionnaires, in the order first seen."""
    seen: dict[str, str] = {}
    for questionnaire in sorted(questionnaires, key=lambda q: (q.scope, q.version)):
        for item in questionnaire.items:
            seen.setdefault(f"answer:{item['id']}", f"answer:{item['id']}")
    return list(seen.items())


class HealthColumns:
    """Screening answers as the patient saw them (option labels), one questionnaire version at a time."""

    def __init__(self, questionnaires: Iterable[QuestionnaireVersion]) -> None:
        self._labels = {
            q.pk: [(item["id"], {o["value"]: o["label"] for o in item.get("options", [])}) for item in q.items]
            for q in questionnaires
        }

    def values(
        self, questionnaire_id: int, answers: Mapping[str, Any], outcome: str, reasons: Sequence[Any]
    ) -> dict[str, str]:
        values: dict[str, str] = {}
        for item_id, labels in self._labels[questionnaire_id]:
            answer = answers.get(item_id)
            if answer not in (None, ""):
                values[f"answer:{item_id}"] = str(labels.get(answer, answer))
        values["screening_outcome"] = outcome
        values["screening_reasons"] = "; ".join(
            f"{r.get('code')} ({r.get('outcome')})" for r in reasons if isinstance(r, Mapping)
        )
        return values


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _, header in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(key)) for key, _ in columns])
    return out.getvalue()
