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
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, Min, Q
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import Patient
from booking.models import Appointment, Clinic
from consent.models import ConsentAccessLog, ScreeningResponse, SignedConsent
from core import formats

# Visits that happened (or were due and missed): what "the last visit" counts.
VISITED = (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW)


def reason_words(rule: dict[str, Any]) -> str:
    """Why records are kept until their date, in the active language, from the rule that set it."""
    if rule["kind"] == "minor":
        return _("first seen as a minor: until %(years)s years after turning %(majority)s") % rule
    values = {**rule, "last": formats.long_date(date.fromisoformat(rule["last"]))}
    if rule["kind"] == "adult_later":
        return (
            _("%(years)s years after the last visit on %(last)s (later than the rule for patients seen as minors)")
            % values
        )
    return _("%(years)s years after the last visit on %(last)s") % values


@dataclass(frozen=True)
class Retention:
    until: date
    rule: dict[str, Any]  # kind (adult, adult_later or minor) and its numbers: the reason, in any language

    @property
    def reason(self) -> str:
        return reason_words(self.rule)


def keep_until(clinic: Clinic, *, first_contact: date, last_contact: date, date_of_birth: date | None) -> Retention:
    adult = last_contact + relativedelta(years=clinic.retention_years)
    rule: dict[str, Any] = {"kind": "adult", "years": clinic.retention_years, "last": last_contact.isoformat()}
    if date_of_birth is None:
        return Retention(adult, rule)
    majority = date_of_birth + relativedelta(years=clinic.age_of_majority)
    if first_contact >= majority:
        return Retention(adult, rule)
    minor = majority + relativedelta(years=clinic.retention_years_after_majority)
    if minor <= adult:
        return Retention(adult, {**rule, "kind": "adult_later"})
    return Retention(
        minor,
        {"kind": "minor", "years": clinic.retention_years_after_majority, "majority": clinic.age_of_majority},
    )


@dataclass(frozen=True)
class KeptRecords:
    what: str  # in English, as an erasure request records it; what_words in the reader's language
    clinic: str
    count: int
    until: date
    reason: str  # likewise; reason_words in the reader's language
    inside: bool
    rule: dict[str, Any] | None = None  # None in records written before rules were kept

    @property
    def what_words(self) -> str:
        return gettext(self.what)

    @property
    def reason_words(self) -> str:
        return reason_words(self.rule) if self.rule else gettext(self.reason)

    @property
    def until_words(self) -> str:
        return formats.long_date(self.until)

    def as_dict(self) -> dict[str, object]:
        return {
            "what": self.what,
            "clinic": self.clinic,
            "count": self.count,
            "until": self.until.isoformat(),
            "reason": self.reason,
            "inside": self.inside,
            "rule": self.rule,
        }


def kept_rows(stored: list[dict[str, Any]]) -> list[KeptRecords]:
    """An erasure request's record of what was kept, to show in the reader's language."""
    return [
        KeptRecords(
            what=row["what"],
            clinic=row.get("clinic", ""),
            count=row.get("count", 0),
            until=date.fromisoformat(row["until"]) if row.get("until") else date.min,
            reason=row.get("reason", ""),
            inside=row.get("inside", True),
            rule=row.get("rule"),
        )
        for row in stored
    ]


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


# Written in English (gettext_noop) into an erasure request's record; shown translated.
RECORD_KINDS = (
    ("consents", gettext_noop("Signed consents, with their withdrawals")),
    ("screenings", gettext_noop("Health screenings, with practitioners' reviews")),
    ("appointments", gettext_noop("Appointments, with session notes, check-ins and their history")),
    ("access", gettext_noop("The record of who viewed or exported those consents")),
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
    gettext_noop("Preferred name"),
    gettext_noop("Phone number"),
    gettext_noop("Time zone"),
    gettext_noop("Notification choices (all reminders and text messages turned off)"),
    gettext_noop("Email address (replaced, so it can no longer be used to sign in or be contacted)"),
    gettext_noop("Sign-in: the account is deactivated and its API tokens and one-time-code devices are removed"),
]
NAME_AND_BIRTH = gettext_noop("Legal name and date of birth (no record inside its retention period needs them)")


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
                        _in_english(retention),
                        retention.until >= today,
                        retention.rule,
                    )
                )
    future = list(
        Appointment.objects.filter(patient=patient, status__in=Appointment.LIVE, start__gt=now)
        .select_related("clinic", "appointment_type", "practitioner")
        .order_by("start")
    )
    anonymise = list(ANONYMISED)
    if not any(k.inside for k in kept):
        anonymise.append(NAME_AND_BIRTH)
    return ErasurePlan(patient=patient, kept=kept, future_appointments=future, anonymise=anonymise)


def _in_english(retention: Retention) -> str:
    """The reason as the erasure request records it: in English, whoever carries it out."""
    with translation.override("en-gb"):
        return retention.reason


def patients_of(clinics: list[Clinic]) -> Q:
    """Patients with any record at these clinics: the ones their admins may act for."""
    slugs = [c.slug for c in clinics]
    return (
        Q(appointments__clinic__in=clinics)
        | Q(consents__scope__in=slugs)
        | Q(screenings__questionnaire_version__scope__in=slugs)
    )
