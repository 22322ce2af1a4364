"""A recorded run of the integrity check: every chain walked against its head, the chain
ends a previous whole run saw, and the checkpoints signed outside the database. A whole
chain then gets a new checkpoint. Writes ChainVerification (append-only) and anchor files."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from consent import anchors, chains, integrity
from consent.models import ChainVerification, SignedConsent


@dataclass(frozen=True)
class Report:
    """What one run found, for the command to print in full."""

    run: ChainVerification
    verdicts: list[chains.Verdict]
    schemes: dict[int, int]
    breaks: list[integrity.Break] = field(default_factory=list)
    anchor_key_is_dev: bool = False


def record_chain_check(*, trigger: ChainVerification.Trigger, by: User | None = None) -> ChainVerification:
    return check_chains(trigger=trigger, by=by).run


def check_chains(*, trigger: ChainVerification.Trigger, by: User | None = None) -> Report:
    """Recompute every hash and link now, check each chain still holds where the last whole
    run and every signed checkpoint saw it end, record the verdict and anchor the whole chains."""
    started = timezone.now()
    clinic_counts = dict(
        SignedConsent.objects.order_by().values("scope").annotate(n=Count("id")).values_list("scope", "n")
    )
    checked = sum(clinic_counts.values())
    verdicts = chains.verify_all()
    stored = anchors.read_checkpoints()
    breaks = [v.broken for v in verdicts if v.broken is not None]
    breaks += _shortened_since_last_run()
    breaks += chains.anchor_breaks(stored)
    # A checkpoint file that fails its signature names no consent: nothing to point at.
    breaks += [integrity.Break(0, 0, problem) for problem in stored.invalid]
    broken_keys = {b.scope for b in breaks}
    whole = [v for v in verdicts if v.key not in broken_keys and v.end is not None and v.end.count > 0]
    first = breaks[0] if breaks else None
    with transaction.atomic():
        run = ChainVerification.objects.create(
            trigger=trigger,
            by=by,
            started_at=started,
            finished_at=timezone.now(),
            checked=checked,
            ok=first is None,
            # 0 (not NULL) when no consent is left to name: the constraint asks a failed run to
            # name a row, and the pages read a falsy id as "the start of the chain".
            broken_sequence=first.sequence if first else None,
            broken_consent_id=first.consent_id if first else None,
            problem=_problem(breaks),
            head_count=next((v.end.count for v in whole if v.key == chains.ALL_CLINICS and v.end), None),
            head_hash=next((v.end.last_hash for v in whole if v.key == chains.ALL_CLINICS and v.end), ""),
            clinic_counts=clinic_counts,
            clinic_problems=_per_chain(breaks),
            chain_ends={v.key: {"count": v.end.count, "hash": v.end.last_hash} for v in whole if v.key and v.end},
        )
        checkpoints = [
            anchors.Checkpoint.now(scope=v.key, count=v.end.count, head_hash=v.end.last_hash, scheme=v.scheme)
            for v in whole
            if v.end is not None
        ]
        transaction.on_commit(lambda: anchors.write_after_commit(checkpoints))
    return Report(run, verdicts, chains.scheme_counts(), breaks, settings.ANCHOR_KEY_IS_DEV)


def _problem(breaks: list[integrity.Break]) -> str:
    """The first break as it is; any others after it, each naming its chain and row."""
    if not breaks:
        return ""
    others = [f"also {where(b)}: {b.problem}" for b in breaks[1:]]
    return "; ".join([breaks[0].problem, *others])


def _per_chain(breaks: list[integrity.Break]) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for broken in breaks:
        found.setdefault(broken.scope, []).append(
            {"consent_id": broken.consent_id, "sequence": broken.sequence, "problem": broken.problem}
        )
    return found


def where(broken: integrity.Break) -> str:
    chain = f"in clinic {broken.scope}'s chain" if broken.scope else "in the chain over every clinic (scheme 1)"
    if not broken.consent_id:
        return f"{chain}, at its start (no signed consent is left to name)"
    return f"{chain}, consent {broken.consent_id} (position {broken.sequence})"


def _shortened_since_last_run() -> list[integrity.Break]:
    """A break for each chain that no longer holds the row the last whole run saw at its end.

    The walk and the head agree with each other even when someone deleted the newest
    consents and rewrote the head to match; the recorded runs (append-only) remember."""
    last = ChainVerification.objects.filter(ok=True).order_by("-finished_at", "-id").first()
    if last is None:
        return []
    ends = dict(last.chain_ends or {})
    if last.head_count:
        ends[chains.ALL_CLINICS] = {"count": last.head_count, "hash": last.head_hash}
    breaks = []
    for key, end in sorted(ends.items()):
        row = chains.rows_of(key).filter(sequence=end["count"]).values("id", "row_hash").first()
        if row is not None and row["row_hash"] == end["hash"]:
            continue
        newest = chains.rows_of(key).order_by("-sequence").values("id", "sequence").first()
        when = f"{last.finished_at:%Y-%m-%d %H:%M} UTC"
        problem = (
            f"the check of {when} saw the chain end at position {end['count']} with hash {end['hash']}, "
            + ("but that row is gone" if row is None else "but that row's hash is now different")
            + ": signed consents were removed or replaced and the chain head rewritten"
        )
        if newest is None:
            breaks.append(integrity.Break(0, 0, problem, scope=key))
        else:
            breaks.append(integrity.Break(newest["sequence"], newest["id"], problem, scope=key))
    return breaks
