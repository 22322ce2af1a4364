"""Reads for the practitioner workspace: who may see which appointment, the calendar
with its badges, the review queue, and everything the appointment page shows.

The visibility rule lives here, once: a practitioner sees their own appointments;
a clinic admin sees every appointment at the clinics they run. Anything else is a 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.services import age_on
from booking.models import (
    Appointment,
    AppointmentEvent,
    Clinic,
    Credential,
    Practitioner,
    SessionNote,
    SymptomReport,
    TimeOff,
    WorkingHours,
)
from booking.staff import vocab
from booking.staff.chart import PainPoint
from consent import selectors as consent_selectors
from consent.models import ConsentFormVersion, ScreeningResponse, ScreeningReview, SignedConsent

Status = Appointment.Status
# Holds that never became a booking are not the practitioner's business.
ABANDONED = Q(status=Status.HELD) | Q(
    status=Status.CANCELLED, cancel_reason__in=["hold_expired", "replaced by another time", "screening_blocked"]
)


# --- Who sees what ----------------------------------------------------------------------------


def practitioner_of(user: User) -> Practitioner | None:
    return Practitioner.objects.filter(user=user).first()


def staff_appointments(user: User) -> QuerySet[Appointment]:
    """Appointments a staff member may see and act on: their own as a practitioner,
    and every one at the clinics they run as a clinic admin."""
    if not user.is_clinic_staff:
        return Appointment.objects.none()
    # A subquery, not a join: joining the admins table would repeat rows.
    run = Clinic.objects.filter(admins=user).values("pk")
    return Appointment.objects.filter(Q(practitioner__user=user) | Q(clinic__in=run))


def staff_clinics(user: User) -> QuerySet[Clinic]:
    """The clinics a staff member works at or runs."""
    ids = Clinic.objects.filter(Q(admins=user) | Q(practitioners__user=user)).values("pk")
    return Clinic.objects.filter(pk__in=ids).order_by("name", "pk")


def administered_practitioners(user: User) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(clinics__admins=user).distinct().order_by("display_name", "pk")


def manageable_practitioners(user: User) -> list[Practitioner]:
    """Whose schedule and credentials the user may look after: their own, and a
    clinic admin's clinics' practitioners."""
    people = list(administered_practitioners(user)) if user.role == User.Role.CLINIC_ADMIN else []
    own = practitioner_of(user)
    if own is not None and own not in people:
        people.insert(0, own)
    return people


def manageable_practitioner(user: User, practitioner_id: int | None) -> Practitioner | None:
    people = manageable_practitioners(user)
    if practitioner_id is None:
        return people[0] if people else None
    return next((p for p in people if p.pk == practitioner_id), None)


# --- Consent and screening badges ---------------------------------------------------------------


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
    "active": "Consent signed",
    "withdrawn": "Consent withdrawn",
    "superseded": "Consent out of date (new form)",
    "expired": "Consent expired",
    "missing": "No consent yet",
    "not_needed": "No needling",
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


# --- The calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    appointment: Appointment
    consent: str
    flags: list[Flag]
    arrived: bool
    has_note: bool

    @property
    def consent_words(self) -> str:
        return CONSENT_WORDS[self.consent]

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


def calendar(
    user: User,
    *,
    start: datetime,
    end: datetime,
    clinic: Clinic | None = None,
    practitioner: Practitioner | None = None,
) -> list[Entry]:
    """The user's appointments that overlap [start, end), oldest first."""
    appointments = staff_appointments(user).filter(start__lt=end, end__gt=start).exclude(ABANDONED)
    if clinic is not None:
        appointments = appointments.filter(clinic=clinic)
    if practitioner is not None:
        appointments = appointments.filter(practitioner=practitioner)
    return entries(appointments.order_by("start", "pk"))


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as UTC instants (23 or 25 hours long on DST days)."""
    return datetime.combine(day, time(0), zone), datetime.combine(day + timedelta(days=1), time(0), zone)


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def by_local_day(found: list[Entry], days: list[date], zone: ZoneInfo) -> list[tuple[date, list[Entry]]]:
    grouped: dict[date, list[Entry]] = defaultdict(list)
    for entry in found:
        grouped[entry.appointment.start.astimezone(zone).date()].append(entry)
    return [(day, grouped.get(day, [])) for day in days]


# --- The review queue ---------------------------------------------------------------------------


def review_queue(user: User) -> list[Entry]:
    """Screenings waiting for a decision on the user's appointments, oldest first."""
    waiting = staff_appointments(user).filter(status=Status.PENDING_REVIEW, screening__isnull=False)
    return entries(waiting.order_by("screening__created_at", "start", "pk"))


# --- The appointment page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    flags: list[Flag]


def screening_answers(screening: ScreeningResponse) -> tuple[list[Answer], list[Flag]]:
    """Every question with its answer, flagged ones first (blocks before reviews),
    and the flags that no single answer raised (combined rules, such as age)."""
    items = screening.questionnaire_version.items
    known = {item["id"] for item in items}
    reasons: dict[str, list[Flag]] = defaultdict(list)
    combined: list[Flag] = []
    for reason in screening.reasons:
        flag = Flag(reason.get("outcome", "review"), reason.get("explanation", ""), bool(reason.get("site")))
        if reason.get("item") in known:
            reasons[reason["item"]].append(flag)
        else:
            combined.append(flag)
    answers = []
    for item in items:
        if item["id"] not in screening.answers:
            continue
        value = screening.answers[item["id"]]
        labels = {o["value"]: o["label"] for o in item.get("options", [])}
        answers.append(Answer(item["text"], str(labels.get(value, value)), reasons.get(item["id"], [])))
    rank = {"block": 0, "review": 1}
    answers.sort(key=lambda a: min((rank.get(f.outcome, 2) for f in a.flags), default=3))
    return answers, combined


def covering_consent(appointment: Appointment) -> SignedConsent | None:
    """The consent linked to this visit; failing that, the patient's newest one for this clinic."""
    if appointment.consent_id is not None:
        return SignedConsent.objects.select_related("form_version").get(pk=appointment.consent_id)
    if not appointment.appointment_type.involves_needling:
        return None
    return consent_selectors.covering_consent(
        appointment.patient,
        scope=appointment.clinic.slug,
        valid_since=appointment.clinic.consent_valid_since(appointment.start),
    )


def _same_clinic_history(appointment: Appointment) -> QuerySet[Appointment]:
    """The patient's visits at this clinic up to this one: the care history the
    clinic's practitioners share."""
    return Appointment.objects.filter(
        patient=appointment.patient_id, clinic=appointment.clinic_id, start__lte=appointment.start
    )


@dataclass(frozen=True)
class NoteView:
    """A session note with its regions and adverse events in words."""

    note: SessionNote

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "note":
            raise AttributeError(name)
        return getattr(self.note, name)

    @property
    def region_words(self) -> list[str]:
        return vocab.region_words(self.note.regions)

    @property
    def adverse_words(self) -> list[str]:
        return vocab.adverse_words(self.note.adverse_events)

    @property
    def red_flag(self) -> bool:
        return vocab.has_red_flag(self.note.adverse_events)


def earlier_notes(appointment: Appointment) -> list[NoteView]:
    visits = _same_clinic_history(appointment).exclude(pk=appointment.pk).filter(start__lt=appointment.start)
    notes = SessionNote.objects.filter(appointment__in=visits).select_related(
        "appointment__appointment_type", "appointment__practitioner", "author"
    )
    return [NoteView(n) for n in notes.order_by("-appointment__start")]


def pain_points(appointment: Appointment) -> list[PainPoint]:
    """Pain scores up to this visit: before and after each session, and the
    patient's check-ins after them."""
    visits = _same_clinic_history(appointment).values("pk")
    points: list[PainPoint] = []
    notes = SessionNote.objects.filter(appointment__in=visits).values_list(
        "appointment__start", "appointment__end", "pain_before", "pain_after"
    )
    for start, end, before, after in notes:
        points.append(PainPoint(start, before, "before"))
        points.append(PainPoint(end, after, "after"))
    reports = SymptomReport.objects.filter(appointment__in=visits).values_list("created_at", "pain_now")
    points.extend(PainPoint(at, pain, "check-in") for at, pain in reports)
    return sorted(points, key=lambda p: p.when)


@dataclass
class AppointmentFile:
    """Everything the appointment page shows about one visit."""

    entry: Entry
    age: int | None
    minor: bool
    answers: list[Answer] = field(default_factory=list)
    other_flags: list[Flag] = field(default_factory=list)
    consent: SignedConsent | None = None
    consent_state: str = "not_needed"
    reviews: list[ScreeningReview] = field(default_factory=list)
    note: NoteView | None = None
    earlier_notes: list[NoteView] = field(default_factory=list)
    pain: list[PainPoint] = field(default_factory=list)

    @property
    def appointment(self) -> Appointment:
        return self.entry.appointment


def appointment_file(user: User, pk: int) -> AppointmentFile | None:
    found = entries(staff_appointments(user).filter(pk=pk))
    if not found:
        return None
    entry = found[0]
    appointment = entry.appointment
    patient = appointment.patient
    visit_day = appointment.local_start.date()
    age = age_on(patient.date_of_birth, visit_day) if patient.date_of_birth else None
    record = AppointmentFile(entry=entry, age=age, minor=age is not None and age < appointment.clinic.age_of_majority)
    if appointment.screening is not None:
        record.answers, record.other_flags = screening_answers(appointment.screening)
        record.reviews = list(appointment.screening.reviews.select_related("reviewer").order_by("at", "pk"))
    record.consent = covering_consent(appointment)
    if record.consent is not None:
        latest = latest_material_versions({appointment.clinic.slug})
        record.consent_state = consent_state(appointment, record.consent, latest)
    else:
        record.consent_state = entry.consent
    note = SessionNote.objects.filter(appointment=appointment).select_related("author").first()
    record.note = NoteView(note) if note else None
    record.earlier_notes = earlier_notes(appointment)
    record.pain = pain_points(appointment)
    return record


# --- Schedule and credentials -----------------------------------------------------------------


def working_hours(practitioner: Practitioner, clinic: Clinic) -> list[WorkingHours]:
    return list(WorkingHours.objects.filter(practitioner=practitioner, clinic=clinic).order_by("weekday", "start"))


def upcoming_time_off(practitioner: Practitioner, now: datetime | None = None) -> list[TimeOff]:
    now = now or timezone.now()
    return list(TimeOff.objects.filter(practitioner=practitioner, end__gt=now).order_by("start"))


def credentials_of(practitioners: Any) -> list[Credential]:
    return list(
        Credential.objects.filter(practitioner__in=practitioners)
        .select_related("practitioner")
        .order_by("practitioner__display_name", "kind", "-valid_from")
    )
