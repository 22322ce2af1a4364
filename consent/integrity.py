"""The hash chains over signed consents. Pure functions plus one verifier.

Two schemes, told apart by each row's `chain_scheme`, and never rewritten:
- scheme 1 (consents signed before per-clinic chains): one chain over every clinic, its
  end recorded in the single ChainHead row;
- scheme 2: one chain per clinic (keyed by the consent's scope), its end in that clinic's
  ClinicChainHead, so clinics never wait on one another's signatures; the hash also covers
  the scheme and the sha256 of the screening answers signed with (the exact text shown was
  already covered by rendered_text_sha256).

Each signed consent stores row_hash = sha256(canonical fields + previous_hash),
and previous_hash = the row_hash of the consent signed before it. Changing any
stored field of any row breaks its own hash; deleting or reordering rows
breaks the link of the next one. Deleting the newest rows breaks no link, so
the walk ends by comparing with the ChainHead (how many consents were signed,
and the last hash), which signing updates in the same transaction."""

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
# Scheme 2 adds the scheme itself (a row cannot be passed off under the other scheme)
# and the hash of the screening answers it was signed with.
HASHED_FIELDS_V2 = (*HASHED_FIELDS, "chain_scheme", "screening_answers_sha256")
SCHEMES = {1: HASHED_FIELDS, 2: HASHED_FIELDS_V2}
CURRENT_SCHEME = 2


def hashed_fields(scheme: int) -> tuple[str, ...]:
    return SCHEMES[scheme]


def row_hash(fields: Mapping[str, Any]) -> str:
    """The hash under the row's own scheme (rows without one are scheme 1)."""
    names = SCHEMES[fields.get("chain_scheme") or 1]
    missing = [f for f in names if f not in fields]
    if missing:
        raise ValueError(f"cannot hash a consent without {missing}")
    return sha256_of({name: _stable(fields[name]) for name in names})


def answers_sha256(answers: Any) -> str:
    """The screening answers as canonical JSON, hashed: what a scheme-2 link records."""
    return sha256_of(answers)


def _stable(value: Any) -> Any:
    # Datetimes hash as UTC ISO strings so the zone of the reader never matters.
    if hasattr(value, "astimezone") and hasattr(value, "isoformat"):
        from datetime import UTC

        return value.astimezone(UTC).isoformat()
    return value


@dataclass(frozen=True)
class Head:
    """What signing recorded: how many consents were appended, and the hash of the newest."""

    count: int
    last_hash: str


@dataclass(frozen=True)
class Break:
    """The first broken link. When rows are missing from the end, it names the newest
    consent still there; if none is left, sequence and consent_id are 0 (before the first)."""

    sequence: int
    consent_id: int
    problem: str
    scope: str = ""  # the clinic whose chain broke; "" for the scheme-1 chain over every clinic


def verify_chain(rows: Iterable[Mapping[str, Any]], *, head: Head | None) -> Break | None:
    """Walk the rows in sequence order, then compare the end with the head (None: there is
    no ChainHead row); return the first broken link, or None. Reads `rows` once, in order."""
    expected_previous = GENESIS
    last: Mapping[str, Any] | None = None
    for position, row in enumerate(rows, start=1):
        broken = _check_row(row, position, expected_previous, head)
        if broken is not None:
            return broken
        expected_previous, last = row["row_hash"], row
    return _check_end(last, head)


def _check_row(row: Mapping[str, Any], position: int, expected_previous: str, head: Head | None) -> Break | None:
    if row["sequence"] != position or row["previous_hash"] != expected_previous:
        return Break(
            row["sequence"],
            row["id"],
            "its link to the consent signed before it is broken (a row was removed or reordered)",
        )
    if row_hash(row) != row["row_hash"]:
        return Break(row["sequence"], row["id"], "its contents no longer match its hash (the row was altered)")
    answers = row.get("screening__answers")
    if (
        row.get("chain_scheme") == 2
        and answers is not None
        and answers_sha256(answers) != row["screening_answers_sha256"]
    ):
        return Break(
            row["sequence"],
            row["id"],
            "the screening answers it was signed with no longer match their hash (the answers were altered)",
        )
    if head is None:
        return None
    if position > head.count:
        return Break(
            row["sequence"],
            row["id"],
            f"it lies beyond the chain head, which records {_consents(head.count)} ending in hash "
            f"{head.last_hash} (the row was added without going through signing)",
        )
    if position == head.count and row["row_hash"] != head.last_hash:
        return Break(
            row["sequence"],
            row["id"],
            f"its hash differs from the one the chain head recorded when it was signed ({head.last_hash}): "
            "the newest consent was replaced, or the head was altered",
        )
    return None


def _check_end(last: Mapping[str, Any] | None, head: Head | None) -> Break | None:
    walked = last["sequence"] if last is not None else 0
    if head is None:
        if last is None:
            return None  # nothing signed yet
        return Break(
            last["sequence"],
            last["id"],
            f"the chain head is missing, so nothing shows whether newer consents were removed "
            f"({_consents(walked)} link up to this one)",
        )
    if walked >= head.count:
        return None
    missing = head.count - walked
    gone = f"the newest {_consents(missing)} {'is' if missing == 1 else 'are'} missing"
    recorded = f"the chain head records {_consents(head.count)} ending in hash {head.last_hash}"
    if last is None:
        return Break(0, 0, f"{gone}: {recorded}, but no signed consent is left")
    return Break(last["sequence"], last["id"], f"{gone}: {recorded}, but the chain ends with this one")


def _consents(n: int) -> str:
    return f"{n} signed consent{'' if n == 1 else 's'}"
