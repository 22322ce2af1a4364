"""How long a clinic must keep a patient's records (FACTS.md section 4), and what an
erasure request may anonymise.

Each clinic sets `retention_years` after the last visit; a patient first seen as a
minor is kept at least until the age of majority plus `retention_years_after_majority`,
whichever is later. Inside that period nothing can remove the records: the app has
no delete path, PostgreSQL refuses DELETE on them, and the erasure service leaves them
whole. Reads only; the writes are in compliance.erasure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, Min, Q

from accounts.models import Patient
from booking.models import Appointment, Clinic
from consent.models import ConsentAccessLog, ScreeningResponse, SignedConsent

# Visits that happened (or were due and missed): what "the last visit" counts.
VISITED = (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW)


@dataclass(frozen=True)
class Retention:
    until: date
    reason: str


def keep_until(clinic: Clinic, *, first_contact: date, last_contact: date, date_of_birth: date | None) -> Retention:
    adult = last_contact + relativedelta(years=clinic.retention_years)
    reason = f"{clinic.retention_years} years after the last visit on {last_contact:%d %B %Y}"
    if date_of_birth is None:
        return Retention(adult, reason)
    majority = date_of_birth + relativedelta(years=clinic.age_of_majority)
    if first_contact >= majority:
        return Retention(adult, reason)
    minor = majority + relativedelta(years=clinic.retention_years_after_majority)
    if minor <= adult:
        return Retention(adult, reason + " (later than the rule for patients seen as minors)")
    return Retention(
        minor,
        f"first seen as a minor: until {clinic.retention_years_after_majority} years after turning "
        f"{clinic.age_of_majority}",
    )


@dataclass(frozen=True)
class KeptRecords:
    what: str
    clinic: str
    count: int
    until: date
    reason: str
    inside: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "what": self.what,
            "clinic": self.clinic,
            "count": self.count,
            "until": self.until.isoformat(),
            "reason": self.reason,
            "inside": self.inside,
        }


@dataclass
class _Contact:
    first: datetime | None = None
    last: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def saw(self, first: datetime | None, last: datetime | None) -> None:
        if first is not None:
            self.first = min(self.first, first) if self.first else first
        if last is not None:
            self.last = max(self.last, last) if self.last else last


RECORD_KINDS = (
    ("consents", "Signed consents, with their withdrawals"),
    ("screenings", "Health screenings, with practitioners' reviews"),
    ("appointments", "Appointments, with session notes, check-ins and their history"),
    ("access", "The record of who viewed or exported those consents"),
)


def _contacts(patient: Patient, *, now: datetime) -> dict[int, _Contact]:
    """Per clinic id: first and last contact, and how many records of each kind. Five queries."""
    clinics = {c.slug: c.pk for c in Clinic.objects.all().only("pk", "slug")}
    contacts: dict[int, _Contact] = defaultdict(_Contact)
    for visit in (
        Appointment.objects.filter(patient=patient)
        .values("clinic_id")
        .annotate(
            n=Count("pk"),
            first=Min("start", filter=Q(status__in=VISITED, start__lte=now)),
            last=Max("start", filter=Q(status__in=VISITED, start__lte=now)),
        )
    ):
        contacts[visit["clinic_id"]].saw(visit["first"], visit["last"])
        contacts[visit["clinic_id"]].counts["appointments"] = visit["n"]
    signed = SignedConsent.objects.filter(patient=patient).values("scope")
    for consent in signed.annotate(n=Count("pk"), first=Min("signed_at"), last=Max("signed_at")):
        if consent["scope"] in clinics:
            contacts[clinics[consent["scope"]]].saw(consent["first"], consent["last"])
            contacts[clinics[consent["scope"]]].counts["consents"] = consent["n"]
    screened = ScreeningResponse.objects.filter(patient=patient).values("questionnaire_version__scope")
    for screening in screened.annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at")):
        if screening["questionnaire_version__scope"] in clinics:
            contact = contacts[clinics[screening["questionnaire_version__scope"]]]
            contact.saw(screening["first"], screening["last"])
            contact.counts["screenings"] = screening["n"]
    accessed = ConsentAccessLog.objects.filter(consent__patient=patient).values("consent__scope")
    for access in accessed.annotate(n=Count("pk")):
        if access["consent__scope"] in clinics:
            contacts[clinics[access["consent__scope"]]].counts["access"] = access["n"]
    return contacts


@dataclass(frozen=True)
class ErasurePlan:
    patient: Patient
    kept: list[KeptRecords]
    future_appointments: list[Appointment]
    anonymise: list[str]

    @property
    def keeps_identity(self) -> bool:
        return any(k.inside for k in self.kept)

    @property
    def identity_until(self) -> date | None:
        inside = [k.until for k in self.kept if k.inside]
        return max(inside) if inside else None


ANONYMISED = [
    "Preferred name",
    "Phone number",
    "Time zone",
    "Notification choices (all reminders and text messages turned off)",
    "Email address (replaced, so it can no longer be used to sign in or be contacted)",
    "Sign-in: the account is deactivated and its API tokens and one-time-code devices are removed",
]


def erasure_plan(patient: Patient, *, now: datetime) -> ErasurePlan:
    """What an erasure would keep (and until when) and what it would anonymise."""
    contacts = _contacts(patient, now=now)
    clinics = Clinic.objects.in_bulk(list(contacts))
    kept: list[KeptRecords] = []
    for clinic_id, contact in sorted(contacts.items()):
        clinic = clinics[clinic_id]
        if contact.first is None or contact.last is None:
            continue  # only appointments that never happened: nothing clinical to keep
        retention = keep_until(
            clinic,
            first_contact=contact.first.astimezone(clinic.zone).date(),
            last_contact=contact.last.astimezone(clinic.zone).date(),
            date_of_birth=patient.date_of_birth,
        )
        today = now.astimezone(clinic.zone).date()
        for kind, what in RECORD_KINDS:
            if contact.counts.get(kind):
                kept.append(
                    KeptRecords(
                        what,
                        clinic.name,
                        contact.counts[kind],
                        retention.until,
                        retention.reason,
                        retention.until >= today,
                    )
                )
    future = list(
        Appointment.objects.filter(patient=patient, status__in=Appointment.LIVE, start__gt=now)
        .select_related("clinic", "appointment_type", "practitioner")
        .order_by("start")
    )
    anonymise = list(ANONYMISED)
    if not any(k.inside for k in kept):
        anonymise.append("Legal name and date of birth (no record inside its retention period needs them)")
    return ErasurePlan(patient=patient, kept=kept, future_appointments=future, anonymise=anonymise)


def patients_of(clinics: list[Clinic]) -> Q:
    """Patients with any record at these clinics: the ones their admins may act for."""
    slugs = [c.slug for c in clinics]
    return (
        Q(appointments__clinic__in=clinics)
        | Q(consents__scope__in=slugs)
        | Q(screenings__questionnaire_version__scope__in=slugs)
    )
