"""What the caller passes in: plain data for booking's rows, consent models as they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from consent.models import QuestionnaireVersion, ScreeningResponse, SignedConsent


@dataclass(frozen=True)
class PatientData:
    id: int
    legal_name: str
    email: str
    birth_date: date | None = None
    phone: str = ""


@dataclass(frozen=True)
class QualificationData:
    kind: str
    kind_display: str
    number: str
    issuer: str
    jurisdiction: str
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class PractitionerData:
    id: int
    name: str
    qualifications: tuple[QualificationData, ...] = ()


@dataclass(frozen=True)
class AppointmentData:
    id: int
    status: str
    start: datetime
    end: datetime
    treatment: str
    practitioner_id: int
    created_at: datetime
    cancel_reason: str = ""


@dataclass(frozen=True)
class ConsentData:
    """A signed consent plus what only booking knows: its status, clinic and practitioner."""

    consent: SignedConsent
    status: str  # active, withdrawn, expired or superseded
    clinic_name: str
    practitioner_id: int | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class PatientRecord:
    patient: PatientData
    practitioners: Sequence[PractitionerData] = ()
    appointments: Sequence[AppointmentData] = ()
    questionnaires: Sequence[QuestionnaireVersion] = ()
    screenings: Sequence[ScreeningResponse] = ()
    consents: Sequence[ConsentData] = ()
    generated_at: datetime | None = None
