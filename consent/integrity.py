"""The hash chain over signed consents. Pure functions plus one verifier.

Each signed consent stores row_hash = sha256(canonical fields + previous_hash),
and previous_hash = the row_hash of the consent signed before it. Changing any
stored field of any row breaks its own hash; deleting or reordering rows
breaks the link of the next one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from consent.documents import sha256_of

GENESIS = "0" * 64

# Everything a signature attests to. Adding a field here changes every hash:
# do it only with a migration that re-chains, never silently.
HASHED_FIELDS = (
    "sequence",
    "patient_id",
    "form_version_id",
    "form_sha256",
    "rendered_text_sha256",
    "render_context",
    "screening_id",
    "signer_role",
    "typed_name",
    "guardian_relationship",
    "guardian_authority",
    "minor_assent",
    "signature_svg",
    "acknowledgements",
    "intent_statement",
    "e_records_accepted",
    "signed_at",
    "ip_address",
    "user_agent",
    "auth_method",
    "authenticated_at",
    "scope",
    "previous_hash",
)


def row_hash(fields: Mapping[str, Any]) -> str:
    missing = [f for f in HASHED_FIELDS if f not in fields]
    if missing:
        raise ValueError(f"cannot hash a consent without {missing}")
    return sha256_of({name: _stable(fields[name]) for name in HASHED_FIELDS})


def _stable(value: Any) -> Any:
    # Datetimes hash as UTC ISO strings so the zone of the reader never matters.
    if hasattr(value, "astimezone") and hasattr(value, "isoformat"):
        from datetime import UTC

        return value.astimezone(UTC).isoformat()
    return value


@dataclass(frozen=True)
class Break:
    sequence: int
    consent_id: int
    problem: str


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> Break | None:
    """Walk the rows in sequence order; return the first broken link, or None."""
    expected_previous = GENESIS
    for position, row in enumerate(rows, start=1):
        if row["sequence"] != position or row["previous_hash"] != expected_previous:
            return Break(
                row["sequence"],
                row["id"],
                "its link to the consent signed before it is broken (a row was removed or reordered)",
            )
        if row_hash(row) != row["row_hash"]:
            return Break(row["sequence"], row["id"], "its contents no longer match its hash (the row was altered)")
        expected_previous = row["row_hash"]
    return None
