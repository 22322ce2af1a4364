"""Consent and screening badges, and appointments as entries that carry them, loaded
in a fixed number of queries however many there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment, AppointmentEvent, SessionNote
from consent.models import ConsentFormVersion, ScreeningResponse, SignedConsent


def latest_material_versions(scopes: set[str]) -> dict[str, int]:
    rows = (
        ConsentFormVersion.objects.filter(scope__in=scopes, material=True)
        .values("scope")
        .annotate(latest=Max("version"))
        .values_list("scope", "latest")
    )
    return dict(rows)


def consent_state(appointment: Appointment, consent: SignedConsent | None, latest_material: dict[str, int]) -> str:
    """For a needling visit: active, withdrawn, superseded, expired or missing; else
    not_needed. The same rules as consent.selectors.consent_status, judged at the
    visit, on prefetched rows so that a whole calendar costs a fixed number of queries."""
    if not appointment.appointment_type.involves_needling:
        return "not_needed"
    if consent is None:
        return "missing"
    if consent.withdrawals.all():
        return "withdrawn"
    if latest_material.get(consent.scope, 0) > consent.form_version.version:
        return "superseded"
    if consent.signed_at <= appointment.clinic.consent_valid_since(appointment.start):
        return "expired"
    return "active"


CONSENT_WORDS = {
    "active": _("Consent signed"),
    "withdrawn": _("Consent withdrawn"),
    "superseded": _("Consent out of date (new form)"),
    "expired": _("Consent expired"),
    "missing": _("No consent yet"),
    "not_needed": _("No needling"),
}
# The state on its own, as the appointment page's consent badge shows it.
CONSENT_STATES = {
    "active": _("Active"),
    "withdrawn": _("Withdrawn"),
    "superseded": _("Superseded"),
    "expired": _("Expired"),
    "missing": _("Missing"),
    "not_needed": _("Not needed"),
}


@dataclass(frozen=True)
class Flag:
    outcome: str  # review or block
    explanation: str
    site: bool


def flags_of(screening: ScreeningResponse | None) -> list[Flag]:
    if screening is None:
        return []
    return [
        Flag(outcome=r.get("outcome", "review"), explanation=r.get("explanation", ""), site=bool(r.get("site")))
        for r in screening.reasons
    ]


@dataclass(frozen=True)
class Entry:
    appointment: Appointment
    consent: str
    flags: list[Flag]
    arrived: bool
    has_note: bool

    @property
    def consent_words(self) -> str:
        return str(CONSENT_WORDS[self.consent])

    @property
    def worst_flag(self) -> str:
        return "block" if any(f.outcome == "block" for f in self.flags) else "review"

    @property
    def local_start(self) -> datetime:
        return self.appointment.local_start

    @property
    def local_end(self) -> datetime:
        return self.appointment.end.astimezone(self.appointment.zone)


def _with_badges(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    arrived = AppointmentEvent.objects.filter(appointment=OuterRef("pk"), action=AppointmentEvent.Action.ARRIVED)
    noted = SessionNote.objects.filter(appointment=OuterRef("pk"))
    return (
        appointments.select_related(
            "patient__user", "appointment_type", "practitioner", "clinic", "screening", "consent__form_version"
        )
        .prefetch_related("consent__withdrawals")
        .annotate(arrived=Exists(arrived), has_note=Exists(noted))
    )


def entries(appointments: QuerySet[Appointment]) -> list[Entry]:
    """Appointments with their badges, in four queries however many there are."""
    rows = list(_with_badges(appointments))
    latest = latest_material_versions({a.clinic.slug for a in rows})
    return [
        Entry(
            appointment=a,
            consent=consent_state(a, a.consent, latest),
            flags=flags_of(a.screening),
            arrived=bool(getattr(a, "arrived", False)),
            has_note=bool(getattr(a, "has_note", False)),
        )
        for a in rows
    ]
