"""Reads for the audit pages, each in a fixed number of queries whatever the row count.

A consent's status (active, withdrawn, expired, superseded) is worked out in SQL,
with the same precedence as consent.selectors.consent_status, so the list can be
filtered and paginated by it over 100,000 rows without loading them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import Patient
from booking.models import Appointment, Clinic, Practitioner
from compliance.access import AdminScope
from consent import selectors as consent_selectors
from consent.models import (
    ConsentAccessLog,
    ConsentFormVersion,
    ConsentWithdrawal,
    ScreeningReview,
    SignedConsent,
)

ACTIVE, WITHDRAWN, EXPIRED, SUPERSEDED = "active", "withdrawn", "expired", "superseded"
STATUSES = (ACTIVE, WITHDRAWN, EXPIRED, SUPERSEDED)
STATUS_LABELS = {
    ACTIVE: _("Active"),
    WITHDRAWN: _("Withdrawn"),
    EXPIRED: _("Expired"),
    SUPERSEDED: _("Superseded"),
}
PAGE_SIZE = 50
# Columns a list or a CSV never shows: a drawn signature, and the consent form's text
# (the same for every row signed to that version, so loading it per row is waste).
LIST_DEFERRED = (
    "signature_svg",
    "form_version__sections",
    "form_version__side_effects",
    "form_version__acknowledgements",
    "form_version__intent_statement",
    "form_version__e_records_disclosure",
)


@dataclass(frozen=True)
class ConsentQuery:
    clinics: Sequence[Clinic]
    signed_from: date | None = None
    signed_to: date | None = None
    form_version_id: int | None = None
    practitioner_id: int | None = None
    status: str = ""
    signer_role: str = ""
    search: str = ""


def local_day_range(
    clinics: Sequence[Clinic], *, scope_field: str, field: str, start: date | None, end: date | None
) -> Q:
    """Instants from the start of `start` to the end of `end`, each clinic's days in its own zone."""
    if start is None and end is None:
        return Q()
    combined = Q(pk__in=[])
    for clinic in clinics:
        one = Q(**{scope_field: clinic.slug})
        if start is not None:
            one &= Q(**{f"{field}__gte": datetime.combine(start, time.min, clinic.zone)})
        if end is not None:
            one &= Q(**{f"{field}__lt": datetime.combine(end + timedelta(days=1), time.min, clinic.zone)})
        combined |= one
    return combined


@dataclass(frozen=True)
class StatusRules:
    """The three conditions that end a consent's cover, as SQL."""

    withdrawn: Exists
    superseded: Q
    expired: Q
    fresh: Q  # not expired, said positively so that it is an index range on (scope, signed_at)

    def annotation(self) -> Case:
        return Case(
            When(self.withdrawn, then=Value(WITHDRAWN)),
            When(self.superseded, then=Value(SUPERSEDED)),
            When(self.expired, then=Value(EXPIRED)),
            default=Value(ACTIVE),
            output_field=CharField(),
        )

    def only(self, status: str) -> Q:
        not_withdrawn = ~Q(self.withdrawn)
        if status == WITHDRAWN:
            return Q(self.withdrawn)
        if status == SUPERSEDED:
            return not_withdrawn & self.superseded
        if status == EXPIRED:
            return not_withdrawn & ~self.superseded & self.expired
        return not_withdrawn & ~self.superseded & self.fresh


def status_rules(clinics: Sequence[Clinic], *, now: datetime) -> StatusRules:
    """One query: the form versions that a later material version superseded. A consent the
    patient's newer signature replaced is superseded too (consent.selectors.replaced_by_newer)."""
    versions = list(
        ConsentFormVersion.objects.filter(scope__in=[c.slug for c in clinics]).values_list(
            "pk", "scope", "version", "material"
        )
    )
    latest_material: dict[str, int] = {}
    for _pk, scope, version, material in versions:
        if material:
            latest_material[scope] = max(version, latest_material.get(scope, 0))
    superseded_ids = [pk for pk, scope, version, _ in versions if version < latest_material.get(scope, 0)]
    expired, fresh = Q(pk__in=[]), Q(pk__in=[])
    for clinic in clinics:
        expired |= Q(scope=clinic.slug, signed_at__lte=clinic.consent_valid_since(now))
        fresh |= Q(scope=clinic.slug, signed_at__gt=clinic.consent_valid_since(now))
    return StatusRules(
        withdrawn=Exists(ConsentWithdrawal.objects.filter(consent=OuterRef("pk"))),
        # An expired consent stays expired even if replaced, as in consent_status.
        superseded=Q(form_version_id__in=superseded_ids) | (Q(consent_selectors.replaced_by_newer()) & fresh),
        expired=expired,
        fresh=fresh,
    )


def matching_patients(search: str) -> QuerySet[Patient]:
    return Patient.objects.filter(Q(legal_name__icontains=search) | Q(user__email__icontains=search))


def _filtered(query: ConsentQuery, rules: StatusRules) -> QuerySet[SignedConsent]:
    """Every filter reads only columns of the covering index consent_scope_signed (or joins by id)."""
    rows = SignedConsent.objects.filter(scope__in=[c.slug for c in query.clinics])
    rows = rows.filter(
        local_day_range(
            query.clinics, scope_field="scope", field="signed_at", start=query.signed_from, end=query.signed_to
        )
    )
    if query.form_version_id is not None:
        rows = rows.filter(form_version_id=query.form_version_id)
    if query.practitioner_id is not None:
        rows = rows.filter(
            Exists(Appointment.objects.filter(consent_id=OuterRef("pk"), practitioner_id=query.practitioner_id))
        )
    if query.signer_role:
        rows = rows.filter(signer_role=query.signer_role)
    if query.status:
        rows = rows.filter(rules.only(query.status))
    if query.search:
        rows = rows.filter(patient_id__in=matching_patients(query.search).values("pk"))
    return rows.order_by("-signed_at", "-id")


def _annotated(rows: QuerySet[SignedConsent], rules: StatusRules) -> QuerySet[SignedConsent]:
    first_withdrawal = ConsentWithdrawal.objects.filter(consent=OuterRef("pk")).order_by("at").values("at")[:1]
    return rows.annotate(audit_status=rules.annotation(), withdrawn_at=Subquery(first_withdrawal)).select_related(
        "patient__user", "form_version"
    )


def consents(query: ConsentQuery, *, now: datetime) -> QuerySet[SignedConsent]:
    """The filtered list, newest first, each row annotated with `audit_status` and `withdrawn_at`."""
    rules = status_rules(query.clinics, now=now)
    return _annotated(_filtered(query, rules), rules)


def consent_page(
    query: ConsentQuery, *, now: datetime, page: str | int | None
) -> tuple[Page[int], list[SignedConsent]]:
    """One page of the list in four queries, however deep: the page's ids come from the
    index alone (an OFFSET over annotated rows would compute every skipped row's status),
    then only those rows are loaded and annotated."""
    rules = status_rules(query.clinics, now=now)
    ids = _filtered(query, rules).values_list("pk", flat=True)
    numbered = Paginator(ids, PAGE_SIZE).get_page(page)
    wanted = list(numbered.object_list)
    rows = _annotated(SignedConsent.objects.filter(pk__in=wanted), rules).defer(*LIST_DEFERRED)
    return numbered, list(rows.order_by("-signed_at", "-id"))


def consent_for_audit(scope: AdminScope, pk: int) -> SignedConsent | None:
    """One consent of the admin's clinics with everything the detail page shows, or None."""
    return (
        SignedConsent.objects.filter(pk=pk, scope__in=scope.slugs)
        .select_related("patient__user", "form_version", "screening__questionnaire_version")
        .prefetch_related(
            Prefetch("withdrawals", queryset=ConsentWithdrawal.objects.select_related("by")),
            Prefetch("screening__reviews", queryset=ScreeningReview.objects.select_related("reviewer")),
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("practitioner", "appointment_type").order_by("start"),
            ),
        )
        .first()
    )


def status_of(consent: SignedConsent, clinic: Clinic, *, now: datetime) -> str:
    """The detail page's status, by the same rules as the list's SQL."""
    rules = status_rules([clinic], now=now)
    row = (
        SignedConsent.objects.filter(pk=consent.pk)
        .annotate(audit_status=rules.annotation())
        .values_list("audit_status", flat=True)
    )
    return row.first() or ACTIVE


def form_versions(scope: AdminScope) -> QuerySet[ConsentFormVersion]:
    return ConsentFormVersion.objects.filter(scope__in=scope.slugs).order_by("scope", "-version")


def practitioners(scope: AdminScope) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(clinics__in=scope.clinics).distinct().order_by("display_name", "pk")


# --- Access log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessQuery:
    clinics: Sequence[Clinic]
    at_from: date | None = None
    at_to: date | None = None
    who: str = ""
    action: str = ""
    channel: str = ""
    consent_id: int | None = None
    patient: str = ""


def access_log(query: AccessQuery) -> QuerySet[ConsentAccessLog]:
    rows = ConsentAccessLog.objects.filter(consent__scope__in=[c.slug for c in query.clinics])
    rows = rows.filter(
        local_day_range(query.clinics, scope_field="consent__scope", field="at", start=query.at_from, end=query.at_to)
    )
    if query.who:
        rows = rows.filter(user__email__icontains=query.who)
    if query.action:
        rows = rows.filter(action=query.action)
    if query.channel:
        rows = rows.filter(channel=query.channel)
    if query.consent_id is not None:
        rows = rows.filter(consent_id=query.consent_id)
    if query.patient:
        rows = rows.filter(consent__patient_id__in=matching_patients(query.patient).values("pk"))
    return rows.select_related("user", "consent__patient", "export").order_by("-at", "-id")
