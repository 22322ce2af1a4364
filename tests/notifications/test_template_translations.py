"""A clinic's own wording in other languages: a translation linked to its source, used only once a
clinical reviewer has reviewed it and only while its source is unchanged; otherwise the source is
sent as written, with a short notice in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from notifications import content, wording
from notifications.models import Channel, Kind, MessageTemplate, Notification
from notifications.selectors import settings_for
from tests.booking.factories import insert_appointment, local
from tests.notifications.factories import add_row
from tests.notifications.helpers import NOW

pytestmark = pytest.mark.django_db
SPANISH_NOTICE = "Todavía no tenemos este mensaje en español; aquí lo tiene en inglés."
FRENCH_NOTICE = "Nous n\N{RIGHT SINGLE QUOTATION MARK}avons pas encore ce message en français ; le voici en anglais."


@pytest.fixture
def appointment(patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> Appointment:
    User.objects.filter(pk=patient.user_id).update(language="es")
    return insert_appointment(patient, physio, visit, local(clinic, date(2026, 6, 3), "10:00"))


@pytest.fixture
def source(clinic: Clinic) -> MessageTemplate:
    return wording.save_template(
        MessageTemplate(
            clinic=clinic,
            kind=Kind.REMINDER,
            subject="See you {{ when }}",
            text="Bring your trainers, {{ patient_name }}.",
        )
    )


@pytest.fixture
def spanish(source: MessageTemplate) -> MessageTemplate:
    return wording.save_template(
        MessageTemplate(
            source=source,
            language="es",
            subject="Hasta el {{ when }}",
            text="Traiga sus zapatillas, {{ patient_name }}.",
            translator="Lucía Translator",
        )
    )


@pytest.fixture
def reviewer(practitioner: User) -> User:
    return practitioner


def render(appointment: Appointment, channel: str = Channel.EMAIL) -> content.Rendered:
    version = Notification.objects.filter(appointment=appointment).count() + appointment.version
    row = add_row(appointment, Kind.REMINDER, due_at=NOW, channel=channel, appointment_version=version)
    row = Notification.objects.select_related("appointment__patient__user", "appointment__clinic").get(pk=row.pk)
    return content.render(row, settings_for(appointment.clinic_id))


def test_a_source_is_written_in_its_clinics_language(clinic: Clinic) -> None:
    Clinic.objects.filter(pk=clinic.pk).update(language="fr")
    clinic.refresh_from_db()

    template = wording.save_template(MessageTemplate(clinic=clinic, kind=Kind.CHECKIN, subject="S", text="T"))

    assert template.language == "fr"


def test_an_unreviewed_translation_is_not_sent_the_source_is_with_a_notice(
    appointment: Appointment, spanish: MessageTemplate
) -> None:
    message = render(appointment)

    assert message.language == "en-gb"
    assert message.text.startswith(SPANISH_NOTICE + "\n\n")
    assert "Bring your trainers, Pat Example." in message.text
    assert message.subject.startswith("See you Wednesday, 3 June 2026"), "the source's dates, in its language"
    assert f'<p lang="es" style="padding:8px 12px;border:1px solid #ccc;border-radius:6px;">{SPANISH_NOTICE}</p>' in (
        message.html
    )
    assert '<html lang="en-GB"' in message.html


def test_a_reviewed_translation_is_sent_in_the_readers_language(
    appointment: Appointment, spanish: MessageTemplate, reviewer: User
) -> None:
    wording.review_translation(spanish, reviewer=reviewer)

    message = render(appointment)

    assert message.language == "es"
    assert message.text == "Traiga sus zapatillas, Pat Example.\n"
    assert message.subject == "Hasta el miércoles, 3 de junio de 2026, 10:00 (Europe/London)"
    assert '<html lang="es"' in message.html
    assert "Todavía no tenemos" not in message.html


def test_publishing_a_changed_source_drops_its_translation_until_it_is_reviewed_again(
    appointment: Appointment, source: MessageTemplate, spanish: MessageTemplate, reviewer: User
) -> None:
    wording.review_translation(spanish, reviewer=reviewer)

    source.text = "Bring your trainers and a towel, {{ patient_name }}."
    wording.save_template(source)

    spanish.refresh_from_db()
    assert spanish.out_of_date and not spanish.usable
    message = render(appointment)
    assert message.text.startswith(SPANISH_NOTICE)
    assert "a towel" in message.text

    wording.review_translation(spanish, reviewer=reviewer)
    assert render(appointment).language == "es"


def test_saving_a_source_unchanged_keeps_its_translations(
    source: MessageTemplate, spanish: MessageTemplate, reviewer: User
) -> None:
    wording.review_translation(spanish, reviewer=reviewer)

    wording.save_template(source)

    spanish.refresh_from_db()
    assert spanish.usable


def test_a_translation_changed_without_a_new_review_loses_its_review(spanish: MessageTemplate, reviewer: User) -> None:
    wording.review_translation(spanish, reviewer=reviewer)

    spanish.text = "Traiga sus zapatillas deportivas, {{ patient_name }}."
    wording.save_template(spanish)

    spanish.refresh_from_db()
    assert (spanish.reviewer, spanish.reviewed_at, spanish.usable) == (None, None, False)


def test_a_translation_in_another_language_does_not_help_this_reader(
    appointment: Appointment, source: MessageTemplate, reviewer: User, patient: Patient
) -> None:
    french = wording.save_template(
        MessageTemplate(source=source, language="fr", subject="À bientôt", text="Apportez vos baskets.")
    )
    wording.review_translation(french, reviewer=reviewer)
    User.objects.filter(pk=patient.user_id).update(language="fr")

    assert render(appointment).text == "Apportez vos baskets.\n"

    User.objects.filter(pk=patient.user_id).update(language="es")
    assert render(appointment).text.startswith(SPANISH_NOTICE)


def test_the_notice_is_in_the_readers_language_in_a_text_message_too(
    appointment: Appointment, clinic: Clinic, patient: Patient
) -> None:
    Patient.objects.filter(pk=patient.pk).update(phone="+447911123456", notify_sms=True)
    User.objects.filter(pk=patient.user_id).update(language="fr")
    wording.save_template(MessageTemplate(clinic=clinic, kind=Kind.REMINDER, channel=Channel.SMS, text="See you soon."))

    assert render(appointment, Channel.SMS).text == f"{FRENCH_NOTICE} See you soon."


def test_an_english_reader_gets_the_source_without_a_notice(
    appointment: Appointment, spanish: MessageTemplate, patient: Patient
) -> None:
    User.objects.filter(pk=patient.user_id).update(language="en-gb")

    message = render(appointment)

    assert message.text == "Bring your trainers, Pat Example.\n"


def test_a_clinic_has_one_source_and_one_translation_per_language(
    clinic: Clinic, source: MessageTemplate, spanish: MessageTemplate
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageTemplate.objects.create(clinic=clinic, kind=Kind.REMINDER, language="fr", subject="S", text="T")
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageTemplate.objects.create(
            clinic=clinic, kind=Kind.REMINDER, language="es", source=source, subject="S", text="T"
        )


def test_a_review_date_comes_with_its_reviewer(spanish: MessageTemplate, reviewer: User) -> None:
    spanish.reviewed_at = timezone.now()
    wording.save_template(spanish)

    spanish.refresh_from_db()
    assert not spanish.usable, "a date without a clinical reviewer is not a review"


def test_a_clinics_own_html_gets_the_notice_first_in_its_body(appointment: Appointment, clinic: Clinic) -> None:
    wording.save_template(
        MessageTemplate(
            clinic=clinic,
            kind=Kind.REMINDER,
            subject="See you",
            text="See you soon.",
            html='<html lang="en"><body style="margin:0"><p>See you soon.</p></body></html>',
        )
    )

    html = render(appointment).html

    assert html.startswith(
        f'<html lang="en"><body style="margin:0"><p lang="es">{SPANISH_NOTICE}</p>\n<p>See you soon.'
    )
