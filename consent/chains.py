"""Reads of the hash chains: each chain walked against its head, and the checkpoints kept
outside the database (consent.anchors) compared with the rows that are left.

A chain is named by its key: a clinic's scope for its own chain (scheme 2), or
ALL_CLINICS ("") for the scheme-1 chain every clinic shared before."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Subquery

from consent import anchors, integrity
from consent.models import ChainHead, ClinicChainHead, SignedConsent

ALL_CLINICS = ""


@dataclass(frozen=True)
class Verdict:
    key: str
    scheme: int
    checked: int  # rows walked
    end: integrity.Head | None  # the head, read in the same statement as the rows
    broken: integrity.Break | None


def chain_keys() -> list[str]:
    legacy = ChainHead.objects.exists() or SignedConsent.objects.filter(chain_scheme=1).exists()
    clinics = set(ClinicChainHead.objects.values_list("scope", flat=True))
    clinics |= set(SignedConsent.objects.filter(chain_scheme=2).values_list("scope", flat=True).distinct())
    return ([ALL_CLINICS] if legacy else []) + sorted(clinics)


def rows_of(key: str) -> QuerySet[SignedConsent]:
    if key == ALL_CLINICS:
        return SignedConsent.objects.filter(chain_scheme=1)
    return SignedConsent.objects.filter(chain_scheme=2, scope=key)


def head_of(key: str) -> QuerySet[Any]:
    if key == ALL_CLINICS:
        return ChainHead.objects.filter(singleton=True)
    return ClinicChainHead.objects.filter(scope=key)


def verify_one(key: str) -> Verdict:
    """Stream one chain in order with its head, read in the same statement (one snapshot),
    so a consent signed during the walk is neither "missing" nor "beyond the head"."""
    scheme = 1 if key == ALL_CLINICS else 2
    head_row = head_of(key)
    extra = ("screening__answers",) if scheme == 2 else ()
    rows = (
        rows_of(key)
        .order_by("sequence")
        .annotate(head_count=Subquery(head_row.values("count")), head_hash=Subquery(head_row.values("last_hash")))
        .values("id", "row_hash", "head_count", "head_hash", *integrity.HASHED_FIELDS_V2, *extra)
        .iterator(chunk_size=2000)
    )
    first = next(rows, None)
    if first is None:
        stored = head_row.values("count", "last_hash").first()
        if stored and stored["count"] and rows_of(key).exists():
            return verify_one(key)  # the first consent was signed between the two reads
        head = integrity.Head(stored["count"], stored["last_hash"]) if stored else None
        return Verdict(key, scheme, 0, head, _scoped(integrity.verify_chain([], head=head), key))
    head = None if first["head_count"] is None else integrity.Head(first["head_count"], first["head_hash"])
    walked = _Counted(itertools.chain([first], rows))
    broken = integrity.verify_chain(walked, head=head)
    return Verdict(key, scheme, walked.seen, head, _scoped(broken, key))


def verify_all() -> list[Verdict]:
    return [verify_one(key) for key in chain_keys()]


def scheme_counts(scopes: list[str] | None = None) -> dict[int, int]:
    rows = SignedConsent.objects.all() if scopes is None else SignedConsent.objects.filter(scope__in=scopes)
    return {r["chain_scheme"]: r["n"] for r in rows.values("chain_scheme").annotate(n=Count("id"))}


def anchor_breaks(stored: anchors.Stored) -> list[integrity.Break]:
    """For each chain, the newest checkpoint the rows no longer hold (its row gone, or its
    hash different): a wiped table, a truncated end or a re-chain, whatever the heads say."""
    breaks = []
    for clinic, checkpoints in sorted(stored.by_clinic.items()):
        key = ALL_CLINICS if clinic == "" else clinic
        positions = {c.sequence for c in checkpoints}
        hashes = dict(rows_of(key).filter(sequence__in=positions).values_list("sequence", "row_hash"))
        for checkpoint in reversed(checkpoints):
            if hashes.get(checkpoint.sequence) != checkpoint.head_hash:
                breaks.append(_checkpoint_break(key, checkpoint, missing_row=checkpoint.sequence not in hashes))
                break
    return breaks


def _checkpoint_break(key: str, checkpoint: anchors.Checkpoint, *, missing_row: bool) -> integrity.Break:
    left = rows_of(key).count()
    newest = rows_of(key).order_by("-sequence").values("id", "sequence").first()
    chain = f"clinic {key}'s chain" if key else "the chain over every clinic (scheme 1)"
    recorded = (
        f"the checkpoint of {checkpoint.time} (signed outside the database) records {checkpoint.count} "
        f"signed consent{'' if checkpoint.count == 1 else 's'} in {chain}, ending at position "
        f"{checkpoint.sequence} with hash {checkpoint.head_hash}"
    )
    if missing_row:
        missing = max(checkpoint.count - left, 1)
        verb = "is" if missing == 1 else "are"
        if left == 0:
            problem = f"{recorded}, but no signed consent of it is left: {missing} {verb} missing"
        else:
            problem = f"{recorded}, but that position is gone and {left} are left: {missing} {verb} missing"
    else:
        problem = f"{recorded}, but the consent at that position now has a different hash: the chain was rewritten"
    if newest is None:
        return integrity.Break(0, 0, problem, scope=key)
    return integrity.Break(newest["sequence"], newest["id"], problem, scope=key)


class _Counted:
    """Passes rows through, counting them (the walk reads each row once)."""

    def __init__(self, rows: Iterator[Mapping[str, Any]]) -> None:
        self.rows, self.seen = rows, 0

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        for row in self.rows:
            self.seen += 1
            yield row


def _scoped(broken: integrity.Break | None, key: str) -> integrity.Break | None:
    return None if broken is None else dataclasses.replace(broken, scope=key)
