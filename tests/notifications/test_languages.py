"""Every message in its reader's language: the patient's own, else the clinic's, else the site's;
the practitioner's own for a red-flag alert. Never the language of the process that sends it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail

from accounts.models import Patient, User
from booking.models import Appointment, AppointmentType, Clinic, Practitioner, SymptomReport
from notifications import content
from notifications.dispatch import claim_due, send_one
from notifications.models import Channel, Kind, Notification
from notifications.selectors import settings_for
from tests.booking.factories import insert_appointment, local, make_type
from tests.core.i18n import english_left_in
from tests.notifications.factories import add_row
from tests.notifications.helpers import NOW

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2026, 6, 3)
TRANSLATED = ["es", "fr"]
VisitOf = Callable[..., Appointment]


def speaks(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)


def rendered(appointment: Appointment, kind: str, channel: str = Channel.EMAIL, **fields: Any) -> content.Rendered:
    row = add_row(appointment, kind, due_at=NOW, channel=channel, **fields)
    row = Notification.objects.select_related("appointment__patient__user", "appointment__clinic").get(pk=row.pk)
    return content.render(row, settings_for(appointment.clinic_id))


def assert_no_english(message: content.Rendered, language: str) -> None:
    for part in (message.subject, message.text, message.html):
        assert english_left_in(part) == [], part
    if message.html:
        assert f'<html lang="{language}"' in message.html


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True, name="Dry needling")


@pytest.fixture
def visit_of(patient: Patient, clinic: Clinic, physio: Practitioner) -> VisitOf:
    def make(kind: AppointmentType, **fields: Any) -> Appointment:
        return insert_appointment(patient, physio, kind, local(clinic, WEDNESDAY, "10:00"), **fields)

    return make


def red_flag(appointment: Appointment) -> dict[str, Any]:
    report = SymptomReport.objects.create(
        appointment=appointment, pain_now=6, side_effects=["chest_pain"], notes="", red_flag=True
    )
    return {"context": {"report": report.pk}}


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("with_needling", [True, False], ids=["needling", "no-needling"])
@pytest.mark.parametrize("kind", [kind.value for kind in Kind])
def test_every_email_reads_entirely_in_spanish_and_french(
    kind: str,
    with_needling: bool,
    language: str,
    patient: Patient,
    physio: Practitioner,
    needling: AppointmentType,
    visit: AppointmentType,
    visit_of: VisitOf,
) -> None:
    speaks(patient.user, language)
    speaks(physio.user, language)
    appointment = visit_of(needling if with_needling else visit)
    extra = red_flag(appointment) if kind == Kind.PRACTITIONER_ALERT else {}

    message = rendered(appointment, kind, **extra)

    assert message.language == language
    assert_no_english(message, language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_declined_review_and_a_new_signature_read_in_the_patients_language(
    language: str,
    patient: Patient,
    needling: AppointmentType,
    visit_of: VisitOf,
) -> None:
    speaks(patient.user, language)
    declined = visit_of(needling, status=Appointment.Status.DECLINED, cancel_reason="Voir votre médecin")
    moved = visit_of(needling, status=Appointment.Status.PENDING_REVIEW, consent=None)

    assert_no_english(rendered(declined, Kind.REVIEW_OUTCOME), language)
    assert_no_english(rendered(declined, Kind.CANCELLATION), language)
    notice = rendered(moved, Kind.RESCHEDULE)
    assert_no_english(notice, language)
    sign_again = {"es": "vuelva a firmar el consentimiento", "fr": "signez à nouveau le consentement"}
    assert sign_again[language] in notice.text


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_text_message_reads_in_the_patients_language(
    language: str,
    sms_patient: Patient,
    needling: AppointmentType,
    visit_of: VisitOf,
) -> None:
    speaks(sms_patient.user, language)

    message = rendered(visit_of(needling), Kind.REMINDER, channel=Channel.SMS)

    assert english_left_in(message.text) == []
    assert "reminder of your" not in message.text


def test_dates_read_in_the_order_of_the_readers_language(
    patient: Patient, physio: Practitioner, needling: AppointmentType, clinic: Clinic
) -> None:
    Patient.objects.filter(pk=patient.pk).update(time_zone="Europe/Madrid")
    tuesday = insert_appointment(
        patient, physio, needling, local(clinic, date(2026, 12, 8), "08:00")
    )  # 09:00 in Madrid
    expected = {
        "es": "martes, 8 de diciembre de 2026, 9:00 (Europe/Madrid)",
        "fr": "mardi 8 décembre 2026, 09:00 (Europe/Madrid)",
        "en-gb": "Tuesday, 8 December 2026, 09:00 (Europe/Madrid)",
    }
    for version, (language, when) in enumerate(expected.items()):
        speaks(patient.user, language)
        message = rendered(tuesday, Kind.REMINDER, appointment_version=version)
        assert when in message.subject
        assert when in message.text


def test_without_a_choice_of_their_own_a_patient_reads_the_clinics_language(
    patient: Patient,
    clinic: Clinic,
    needling: AppointmentType,
    visit_of: VisitOf,
) -> None:
    Clinic.objects.filter(pk=clinic.pk).update(language="es")

    message = rendered(visit_of(needling), Kind.CONFIRMATION)

    assert message.subject.startswith("Reservada:")
    assert_no_english(message, "es")


def test_without_any_choice_messages_stay_in_english(
    patient: Patient,
    needling: AppointmentType,
    visit_of: VisitOf,
) -> None:
    message = rendered(visit_of(needling), Kind.CONFIRMATION)

    assert message.subject.startswith("Booked:")
    assert '<html lang="en-GB"' in message.html
    assert "Your appointment is booked." in message.text
    assert english_left_in(message.text), "the check used on es and fr finds English when it is there"


def test_a_red_flag_alert_follows_the_practitioners_language_not_the_patients(
    patient: Patient,
    physio: Practitioner,
    needling: AppointmentType,
    visit_of: VisitOf,
) -> None:
    speaks(patient.user, "fr")
    speaks(physio.user, "es")
    appointment = visit_of(needling, status=Appointment.Status.COMPLETED)

    message = rendered(appointment, Kind.PRACTITIONER_ALERT, **red_flag(appointment))

    assert message.language == "es"
    assert message.subject.startswith("Señal de alarma")
    assert "Dolor ahora (0-10): 6" in message.text
    assert_no_english(message, "es")


def test_the_sent_row_records_the_language_it_was_written_in(
    patient: Patient,
    needling: AppointmentType,
    visit_of: VisitOf,
) -> None:
    speaks(patient.user, "fr")
    row = add_row(visit_of(needling), Kind.REMINDER, due_at=NOW)
    assert claim_due(worker="w", now=NOW) == [row.pk]

    with time_machine.travel(NOW, tick=False):
        assert send_one(row.pk, worker="w", now=NOW) == Notification.Status.SENT

    assert Notification.objects.get(pk=row.pk).language == "fr"
    [message] = mail.outbox
    assert message.subject.startswith("Rappel :")
    assert "mercredi 3 juin 2026" in message.body
