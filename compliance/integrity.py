"""The hash chain from the admin's side: one consent's own links, and recorded runs of the
whole check (the Integrity page, the weekly job) so a detail page need not re-hash 100,000 rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consent import chains, integrity, verification
from consent.models import ChainVerification, SignedConsent
from core import formats


@dataclass(frozen=True)
class RowCheck:
    """This consent's own hash, and its links to the consents signed just before and after it."""

    hash_ok: bool
    previous_ok: bool
    next_ok: bool | None  # None: it is the newest
    head_ok: bool | None = None  # the newest only: does the chain head end at it?

    @property
    def ok(self) -> bool:
        return self.hash_ok and self.previous_ok and self.next_ok is not False and self.head_ok is not False

    @property
    def problem(self) -> str:
        if not self.hash_ok:
            return _("its contents no longer match its hash (the record was altered)")
        if not self.previous_ok:
            return _("its link to the consent signed before it is broken (a record was removed or altered)")
        if self.next_ok is False:
            return _("the consent signed after it no longer links to it (a record was removed or altered)")
        if self.head_ok is False:
            return _(
                "it is the newest consent left, but the chain head does not end at it "
                "(newer consents were removed, it was added without signing, or the head is missing)"
            )
        return ""


def check_row(consent: SignedConsent) -> RowCheck:
    """Within the consent's own chain (its clinic's, or the scheme-1 one over every clinic).
    Two queries: the chain head, then the neighbours. The head is read first, so a consent
    signed in between makes this one merely not the newest, never a false break."""
    key = chains.ALL_CLINICS if consent.chain_scheme == 1 else consent.scope
    head = chains.head_of(key).values("count", "last_hash").first()
    fields = {name: getattr(consent, name) for name in integrity.hashed_fields(consent.chain_scheme)}
    neighbours = {
        row["sequence"]: row
        for row in chains.rows_of(key)
        .filter(sequence__in=[consent.sequence - 1, consent.sequence + 1])
        .values("sequence", "row_hash", "previous_hash")
    }
    before = neighbours.get(consent.sequence - 1)
    expected_previous = integrity.GENESIS if consent.sequence == 1 else (before["row_hash"] if before else None)
    after = neighbours.get(consent.sequence + 1)
    return RowCheck(
        hash_ok=integrity.row_hash(fields) == consent.row_hash,
        previous_ok=expected_previous is not None and consent.previous_hash == expected_previous,
        next_ok=None if after is None else after["previous_hash"] == consent.row_hash,
        head_ok=None if after is not None else head == {"count": consent.sequence, "last_hash": consent.row_hash},
    )


@dataclass(frozen=True)
class Failure:
    """What a failed run found, as far as one admin's clinics go. Each clinic's chain is its own:
    another clinic's break (its consent ids, positions and counts) is for that clinic's admins."""

    consent_id: int  # 0: no consent to name (the start of the chain, or outside the rows)
    sequence: int
    problem: str  # the first break's problem, then "also ..." for any others of theirs (as the run recorded it)
    elsewhere: bool = False  # the breaks are all in other clinics' chains

    def describe(self) -> str:
        """Where the first break is and what it is, in the active language (the problem
        itself is the run's record, kept as the check wrote it)."""
        if self.elsewhere:
            return _("another clinic's chain (your clinics' chains hold; that clinic's admins are told)")
        return _("%(where)s: %(problem)s") % {
            "where": _where_words(self.consent_id, self.sequence),
            "problem": self.problem,
        }


def _where_words(consent_id: int, sequence: int) -> str:
    if not consent_id:
        return _("the start of the chain (no signed consent to name)")
    return _("consent %(number)s (position %(position)s)") % {"number": consent_id, "position": sequence}


def failure_for(run: ChainVerification, slugs: list[str]) -> Failure | None:
    """The breaks of a failed run in the admin's clinics' chains (and in the scheme-1 chain over
    every clinic, which is theirs too); None for a run that found nothing."""
    if run.ok:
        return None
    if not run.clinic_problems:  # recorded before breaks were kept per clinic
        return Failure(run.broken_consent_id or 0, run.broken_sequence or 0, run.problem)
    found = [b for key in (*slugs, chains.ALL_CLINICS) for b in run.clinic_problems.get(key, [])]
    if not found:
        return Failure(0, 0, "", elsewhere=True)
    first, others = found[0], found[1:]
    also = [
        _("also %(where)s: %(problem)s")
        % {"where": _where_words(b["consent_id"], b["sequence"]), "problem": b["problem"]}
        for b in others
    ]
    return Failure(int(first["consent_id"]), int(first["sequence"]), "; ".join([first["problem"], *also]))


def consents_of(slugs: list[str]) -> int:
    """How many signed consents the admin's clinics hold now."""
    return SignedConsent.objects.filter(scope__in=slugs).count()


def checked_of(run: ChainVerification, slugs: list[str]) -> int | None:
    """How many of the admin's clinics' consents a run checked; None for runs recorded
    before runs counted per clinic (their `checked` spans every clinic)."""
    if not run.clinic_counts:
        return None if run.checked else 0
    return sum(run.clinic_counts.get(slug, 0) for slug in slugs)


def latest_run() -> ChainVerification | None:
    return ChainVerification.objects.order_by("-finished_at", "-id").first()


def run_verification(*, trigger: ChainVerification.Trigger, by: User | None = None) -> ChainVerification:
    """Recompute every hash and link now, and record the verdict (consent.services)."""
    return verification.record_chain_check(trigger=trigger, by=by)


@dataclass(frozen=True)
class Badge:
    kind: str  # ok, broken or unchecked
    title: str
    detail: str


def badge(row: RowCheck, run: ChainVerification | None, slugs: list[str]) -> Badge:
    """What the detail page says about integrity: this record first, then the whole chain."""
    if not row.ok:
        return Badge(
            "broken",
            _("Broken: this record fails its integrity check"),
            _("This consent: %(problem)s.") % {"problem": row.problem},
        )
    own = _("This record's hash and its links to its neighbours were checked just now and hold.")
    if run is None:
        return Badge(
            "unchecked",
            _("Record verified; chain not yet checked"),
            " ".join([own, _("Run the full check on the Integrity page.")]),
        )
    finished = timezone.localtime(run.finished_at)
    when = f"{formats.short_date_at(finished)} {finished:%Z}"
    failure = failure_for(run, slugs)
    if failure is not None and not failure.elsewhere:
        found = _("But the full check on %(when)s found the first broken link at %(where)s.")
        return Badge("broken", _("Chain broken"), " ".join([own, found % {"when": when, "where": failure.describe()}]))
    if failure is not None:  # the breaks are all in other clinics' chains
        whole = _("The full check on %(when)s found your clinics' chains whole.") % {"when": when}
        return Badge("ok", _("Chain verified"), " ".join([own, whole]))
    # No count: the run spans every clinic, and this page is one clinic's.
    verified = _("The full check on %(when)s verified every chain.") % {"when": when}
    return Badge("ok", _("Chain verified"), " ".join([own, verified]))
