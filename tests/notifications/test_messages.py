"""What the messages say and carry: times in the patient's zone, calendar files, clinic wording."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner, SymptomReport
from notifications.dispatch import claim_due, send_one
from notifications.models import ClinicNotificationSettings, Kind, MessageTemplate, Notification
from tests.booking.factories import insert_appointment, local, make_type
from tests.notifications.factories import add_row
from tests.notifications.helpers import NOW

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2026, 6, 3)


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True, name="Dry needling")


@pytest.fixture
def appointment(patient: Patient, clinic: Clinic, needling: AppointmentType, physio: Practitioner) -> Appointment:
    return insert_appointment(patient, physio, needling, local(clinic, WEDNESDAY, "10:00"))


def send(appointment: Appointment, kind: str, **fields: Any) -> Any:
    row = add_row(appointment, kind, due_at=NOW, **fields)
    assert claim_due(worker="w", now=NOW) == [row.pk]
    with time_machine.travel(NOW, tick=False):
        assert send_one(row.pk, worker="w", now=NOW) == Notification.Status.SENT, Notification.objects.get(pk=row.pk)
    return mail.outbox[-1]


def html_of(message: Any) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(html)


def test_the_confirmation_has_text_html_a_calendar_file_and_a_stable_message_id(
    appointment: Appointment, patient: Patient
) -> None:
    message = send(appointment, Kind.CONFIRMATION)
    row = Notification.objects.get(kind=Kind.CONFIRMATION)

    assert message.to == [patient.user.email]
    assert message.extra_headers["Message-ID"] == f"<notification-{row.pk}@acus.example>"
    assert "Wednesday, 3 June 2026, 10:00 (Europe/London)" in message.body
    assert "Wednesday, 3 June 2026, 10:00 (Europe/London)" in html_of(message)
    assert f"https://acus.example/appointments/{appointment.pk}/" in message.body, "a link to manage it"
    [(filename, calendar, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"acus-appointment-{appointment.pk}.ics", "text/calendar")
    assert "BEGIN:VEVENT" in str(calendar)


def test_times_are_in_the_patients_own_zone_with_the_zone_named(appointment: Appointment, patient: Patient) -> None:
    Patient.objects.filter(pk=patient.pk).update(time_zone="America/New_York")

    message = send(appointment, Kind.REMINDER)

    assert "Wednesday, 3 June 2026, 05:00 (America/New_York)" in message.subject
    assert message.attachments == [], "only the confirmation and the reschedule notice carry a calendar file"


def test_the_pre_visit_information_says_how_to_prepare(appointment: Appointment) -> None:
    body = send(appointment, Kind.PRE_VISIT).body

    for words in ("light meal", "loose clothes", "list of the medicines", "blood thinners", "pregnant", "diabetes"):
        assert words in body
    for words in ("heart condition", "implant", "cancer", "immune system", "allergy to metal", "drowsy"):
        assert words in body
    assert "twitch or cramp" in body


def test_aftercare_explains_soreness_and_every_red_flag(appointment: Appointment, clinic: Clinic) -> None:
    ClinicNotificationSettings.objects.create(clinic=clinic, heat_or_ice_advice="We suggest a warm pack.")

    message = send(appointment, Kind.AFTERCARE)

    body = message.body
    for words in ("like after exercise", "Bruising", "water", "hard exercise", "drowsy", "We suggest a warm pack."):
        assert words in body
    for flag in ("new chest pain", "pain when you breathe in", "shortness of breath", "a dry cough"):
        assert flag in body
    assert "call emergency services" in body
    assert "collapsed lung" in body
    assert "pus" in body and "numbness or weakness" in body
    assert clinic.phone in body
    assert "new chest pain" in html_of(message)


def test_aftercare_without_needling_leaves_the_needling_advice_out(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    talking = insert_appointment(patient, physio, visit, local(clinic, WEDNESDAY, "14:00"))

    body = send(talking, Kind.AFTERCARE).body

    assert "collapsed lung" not in body
    assert "please contact us" in body


def test_the_check_in_carries_a_link_that_opens_the_page(appointment: Appointment, client: Any) -> None:
    body = send(appointment, Kind.CHECKIN).body

    link = next(line for line in body.splitlines() if line.startswith("https://acus.example/checkin/"))
    assert "14 days" in body
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.COMPLETED)
    with time_machine.travel(NOW, tick=False):
        assert client.get(link.removeprefix("https://acus.example")).status_code == 200


def test_a_decline_gives_the_practitioners_reason(appointment: Appointment) -> None:
    Appointment.objects.filter(pk=appointment.pk).update(
        status=Appointment.Status.DECLINED, cancel_reason="Please see your GP first."
    )

    message = send(appointment, Kind.REVIEW_OUTCOME)

    assert message.subject.startswith("About your booking")
    assert "Please see your GP first." in message.body
    assert "without needling" in message.body


def test_the_red_flag_alert_goes_to_the_practitioner(appointment: Appointment, physio: Practitioner) -> None:
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.COMPLETED)
    report = SymptomReport.objects.create(
        appointment=appointment, pain_now=6, side_effects=["chest_pain"], notes="Sharp when I breathe", red_flag=True
    )

    message = send(appointment, Kind.PRACTITIONER_ALERT, context={"report": report.pk})

    assert message.to == [physio.user.email]
    assert "New chest pain" in message.body
    assert "Pain now (0-10): 6" in message.body
    assert "Sharp when I breathe" in message.body


def test_a_clinics_own_wording_wins_then_wording_for_all_clinics(appointment: Appointment, clinic: Clinic) -> None:
    MessageTemplate.objects.create(kind=Kind.REMINDER, subject="All: {{ when }}", text="For everyone")
    MessageTemplate.objects.create(
        clinic=clinic, kind=Kind.REMINDER, subject="See you {{ when }}", text="Hi {{ patient_name }} & co"
    )
    Patient.objects.filter(pk=appointment.patient_id).update(preferred_name="O'Neil <Pat>")

    message = send(appointment, Kind.REMINDER)

    assert message.subject == "See you Wednesday, 3 June 2026, 10:00 (Europe/London)"
    assert message.body == "Hi O'Neil <Pat> & co\n", "plain text is not HTML-escaped"
    assert "Hi O&#x27;Neil &lt;Pat&gt; &amp; co" in html_of(message), "HTML made from the text, escaped"


def test_wording_for_all_clinics_is_used_when_a_clinic_has_none(appointment: Appointment) -> None:
    MessageTemplate.objects.create(kind=Kind.REMINDER, subject="All: {{ clinic_name }}", text="For everyone")

    assert send(appointment, Kind.REMINDER).subject == "All: Harbour Physio"


def test_a_template_with_a_syntax_error_is_refused_in_the_admin() -> None:
    template = MessageTemplate(kind=Kind.REMINDER, subject="Hi", text="{% if %}")

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert "text" in caught.value.message_dict


def test_a_retried_email_keeps_its_message_id(appointment: Appointment) -> None:
    first = send(appointment, Kind.CONFIRMATION)
    row = Notification.objects.get(kind=Kind.CONFIRMATION)
    Notification.objects.filter(pk=row.pk).update(status=Notification.Status.PENDING, next_attempt_at=NOW)
    assert claim_due(worker="w2", now=NOW + timedelta(seconds=1)) == [row.pk]
    send_one(row.pk, worker="w2", now=NOW)

    assert mail.outbox[-1].extra_headers["Message-ID"] == first.extra_headers["Message-ID"]


@pytest.mark.parametrize(("recorded", "shown"), [("cancelled by patient", False), ("Practitioner unwell", True)])
def test_a_cancellation_gives_a_reason_only_when_someone_gave_one(
    appointment: Appointment, recorded: str, shown: bool
) -> None:
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED, cancel_reason=recorded)

    body = send(appointment, Kind.CANCELLATION).body

    assert ("Reason:" in body) is shown
    assert (recorded in body) is shown
