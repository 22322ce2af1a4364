"""Everything the appointment page shows about one visit: answers and flags, the consent,
reviews, session notes and the pain history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from accounts.services import age_on
from booking import consent_flow
from booking.models import Appointment, SessionNote, SymptomReport
from consent.models import ScreeningResponse, ScreeningReview, SignedConsent
from workspace import vocab
from workspace.chart import PainPoint
from workspace.selectors.badges import (
    CONSENT_STATES,
    Entry,
    Flag,
    consent_state,
    entries,
    latest_material_versions,
)
from workspace.selectors.visibility import staff_appointments


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
    """The consent linked to this visit; failing that, the one that would cover it for the
    patient (booking.consent_flow.existing_cover: same practitioner, nothing left to review),
    so staff see what the patient side would accept."""
    if appointment.consent_id is not None:
        return SignedConsent.objects.select_related("form_version").get(pk=appointment.consent_id)
    if not appointment.appointment_type.involves_needling:
        return None
    cover = consent_flow.existing_cover(appointment.patient, appointment)
    return cover.consent if cover is not None and not cover.needs_review else None


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

    @property
    def consent_state_label(self) -> str:
        return str(CONSENT_STATES.get(self.consent_state, self.consent_state))


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
