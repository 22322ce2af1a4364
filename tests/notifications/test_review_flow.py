"""Needling bookings through screening and consent: review, approval, decline, a consent that ends."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import Patient
from booking import consent_flow
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion
from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification
from tests.booking.factories import local, make_clinic, make_type
from tests.consent.factories import CLEAR, SCOPE
from tests.notifications.helpers import NOW, decide_review, hold, hours, rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = Notification.Status
FRIDAY = date(2026, 6, 5)


@pytest.fixture
def clinic(form: ConsentFormVersion, questionnaire: QuestionnaireVersion) -> Clinic:
    return make_clinic(slug=SCOPE, name="Test Clinic", min_notice_minutes=30)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True, name="Dry needling")


def sign(
    patient: Patient,
    appointment: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    **answers: str,
) -> Appointment:
    screening = consent_flow.screen(
        patient,
        questionnaire=questionnaire,
        answers={**CLEAR, **answers},
        clinic=appointment.clinic,
        visit_day=FRIDAY,
    )
    request = consent_flow.SignatureRequest(
        form=form,
        screening=screening,
        typed_name=patient.legal_name,
        acknowledgements=["read", "asked"],
        e_records_accepted=True,
        guardian=None,
        signature_svg="",
        ip_address="198.51.100.4",
        user_agent="pytest",
        auth_method="emailed one-time code",
        authenticated_at=timezone.now(),
    )
    consent_flow.sign_for_appointment(patient, appointment_id=appointment.pk, request=request)
    return Appointment.objects.get(pk=appointment.pk)


def kinds(appointment: Appointment, status: str = Status.PENDING) -> list[str]:
    return sorted(n.kind for n in rows(appointment, status=status))


@pytest.fixture
def waiting(
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> Appointment:
    held = hold(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)
    return sign(patient, held, form, questionnaire, diabetes="yes")


def test_a_screening_sent_for_review_plans_nothing_yet(waiting: Appointment) -> None:
    assert waiting.status == Appointment.Status.PENDING_REVIEW
    assert rows(waiting) == []


def test_approval_plans_the_visit_and_tells_the_patient(waiting: Appointment, physio: Practitioner) -> None:
    decide_review(waiting, reviewer=physio.user, approve=True, note="Diabetes well controlled.")

    assert kinds(waiting) == sorted(
        [Kind.AFTERCARE, Kind.CHECKIN, Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.REMINDER, Kind.REVIEW_OUTCOME]
    )
    dispatch_due()
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "Approved: Dry needling, Friday, 5 June 2026, 10:00 (Europe/London)",
        "Booked: Dry needling, Friday, 5 June 2026, 10:00 (Europe/London)",
    ]


def test_a_decline_tells_the_patient_why_and_plans_nothing_else(waiting: Appointment, physio: Practitioner) -> None:
    decide_review(waiting, reviewer=physio.user, approve=False, note="Please see your GP first.")

    assert kinds(waiting) == [Kind.REVIEW_OUTCOME]
    dispatch_due()
    [message] = mail.outbox
    assert "Please see your GP first." in message.body


def test_a_reminder_waits_while_the_visit_is_back_under_review(
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    frozen: time_machine.Traveller,
) -> None:
    start = local(clinic, FRIDAY, "10:00")
    appointment = sign(patient, hold(patient, visit, start, now=NOW), form, questionnaire)
    assert appointment.status == Appointment.Status.CONFIRMED
    consent_flow.withdraw(appointment.consent, by=patient.user, note="Changed my mind")  # type: ignore[arg-type]

    frozen.move_to(start - hours(24))
    dispatch_due()

    reminder = Notification.objects.get(appointment=appointment, kind=Kind.REMINDER)
    assert (reminder.status, reminder.attempts) == (Status.PENDING, 0), "waiting, not cancelled"
    assert not any("Reminder" in m.subject for m in mail.outbox)

    sign(patient, appointment, form, questionnaire)  # a new consent: confirmed again
    frozen.move_to(reminder.next_attempt_at)
    dispatch_due()

    assert Notification.objects.get(pk=reminder.pk).status == Status.SENT
    assert [m.subject for m in mail.outbox if m.subject.startswith("Reminder")] == [
        "Reminder: Dry needling, Friday, 5 June 2026, 10:00 (Europe/London)"
    ]
