"""Workspace factories: the practitioners' desk (a clinic open every day, two practitioners, a
needling and a plain treatment, published consent documents), and visits booked on it through
the real services (hold, screen, sign) at an earlier time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine
from django.test import Client

from accounts.models import Patient, User
from booking import consent_flow, services
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from consent import services as consent_services
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import local, make_clinic, make_practitioner, make_type
from tests.consent.factories import QUESTIONS, form_content

# Monday 1 June 2026, 09:00 in London (BST, UTC+1).
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
MONDAY = date(2026, 6, 1)
CLEAR = {"needle_fear": "no", "diabetes": "no"}
REVIEW = {"needle_fear": "no", "diabetes": "yes", "medicines": "Warfarin"}


@dataclass
class Desk:
    clinic: Clinic
    needling: AppointmentType
    plain: AppointmentType
    alex: Practitioner
    priya: Practitioner
    admin: User
    form: ConsentFormVersion
    questionnaire: QuestionnaireVersion

    def at(self, hh_mm: str, day: date = MONDAY) -> datetime:
        return local(self.clinic, day, hh_mm)


def make_desk(admin: User) -> Desk:
    clinic = make_clinic(name="Harbour Physiotherapy", slug="harbour")
    needling = make_type(clinic, minutes=30, after=10, needling=True, name="Follow-up dry needling")
    plain = make_type(clinic, minutes=45, name="Assessment without needling")
    alex = make_practitioner(clinic, name="Alex Morgan", weekdays=range(7))
    priya = make_practitioner(clinic, name="Priya Shah", weekdays=range(7))
    clinic.admins.add(admin)
    form = consent_services.publish_consent_form(scope=clinic.slug, **form_content())
    questionnaire = consent_services.publish_questionnaire(
        scope=clinic.slug, title="Health check", items=QUESTIONS, combined_rules=[]
    )
    return Desk(clinic, needling, plain, alex, priya, admin, form, questionnaire)


def book_needling(
    desk: Desk,
    patient: Patient,
    start: datetime,
    *,
    answers: dict[str, str] | None = None,
    practitioner: Practitioner | None = None,
    booked_at: datetime | None = None,
) -> Appointment:
    """Hold, screen and sign as the patient would, two days before the visit."""
    with time_machine.travel(booked_at or start - timedelta(days=2), tick=False):
        held = services.hold_appointment(
            patient, appointment_type=desk.needling, start=start, practitioner=practitioner or desk.alex
        )
        screen_and_sign(desk, patient, held, answers or CLEAR, visit_day=start.date())
    return Appointment.objects.get(pk=held.pk)


def screen_and_sign(
    desk: Desk,
    patient: Patient,
    held: Appointment,
    answers: dict[str, str],
    *,
    visit_day: date,
    user_agent: str = "pytest",
) -> None:
    """Answer the questions and sign for a held visit through the real consent flow."""
    screening = consent_flow.screen(
        patient, questionnaire=desk.questionnaire, answers=answers, clinic=desk.clinic, visit_day=visit_day
    )
    consent_flow.sign_for_appointment(
        patient,
        appointment_id=held.pk,
        request=consent_flow.SignatureRequest(
            form=desk.form,
            screening=screening,
            typed_name=patient.legal_name,
            acknowledgements=["read", "asked"],
            e_records_accepted=True,
            guardian=None,
            signature_svg="",
            ip_address="127.0.0.1",
            user_agent=user_agent,
            auth_method="emailed code, web session",
            authenticated_at=None,
        ),
    )


def book_plain(
    desk: Desk, patient: Patient, start: datetime, *, practitioner: Practitioner | None = None
) -> Appointment:
    with time_machine.travel(start - timedelta(days=2), tick=False):
        held = services.hold_appointment(
            patient, appointment_type=desk.plain, start=start, practitioner=practitioner or desk.alex
        )
        return services.confirm_appointment(held, actor=patient.user)


def staff_client(user: User) -> Client:
    return verified_staff_client(user)


def body(response: Any) -> str:
    return response.content.decode()
