"""A practitioner who chose Spanish reads every workspace page in Spanish: no English sentence
from the catalogues left, `<html lang="es">`, dates and weekday names in Spanish order; the
calendar feed and the credential email speak the practitioner's or admin's own language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from accounts.models import Patient, User
from booking.models import Credential
from care import services as care_services
from care.services import NoteInput
from tests.booking.factories import make_credential
from tests.core.i18n import english_left_in
from tests.workspace.factories import MONDAY, REVIEW, Desk, body, book_needling, staff_client
from workspace import services as staff_services
from workspace.tasks import check_credential_expiry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _speaks(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture
def alex_in_spanish(desk: Desk) -> Client:
    _speaks(desk.alex.user, "es")
    return staff_client(desk.alex.user)


def _spanish(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = body(response)
    assert '<html lang="es"' in page, url
    # The text as signed is shown as signed (in its own language, with its own lang attribute).
    assert english_left_in(re.sub(r'<div class="signed-text".*?</div>', "", page, flags=re.S)) == [], url
    return page


def _a_full_week(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    """A visit waiting for review today, one confirmed tomorrow, and a credential near its end."""
    book_needling(desk, patient, desk.at("10:00"), answers=REVIEW)
    book_needling(desk, other_patient, desk.at("11:00", MONDAY + timedelta(days=1)))
    Credential.objects.filter(practitioner=desk.alex).delete()
    make_credential(desk.alex, jurisdiction="GB", valid_until=MONDAY + timedelta(days=20))


def test_the_day_and_week_calendars_are_in_spanish(
    desk: Desk, alex_in_spanish: Client, patient: Patient, other_patient: Patient
) -> None:
    _a_full_week(desk, patient, other_patient)

    today = _spanish(alex_in_spanish, "/staff/today/")
    week = _spanish(alex_in_spanish, "/staff/week/")

    assert "Hoy, lunes, 1 de junio de 2026" in today
    assert "1 cuestionario pendiente de su revisión" in today
    assert "Su acreditación de punción seca" in today
    assert "Semana del 1 de junio de 2026" in week
    # The day headers follow the locale: Spanish short weekday, day, month.
    assert "lun, 1 jun" in week and "mar, 2 jun" in week and "dom, 7 jun" in week
    assert "Mon 1 Jun" not in week


def test_reviews_schedule_credentials_and_feed_are_in_spanish(
    desk: Desk, alex_in_spanish: Client, patient: Patient, other_patient: Patient
) -> None:
    _a_full_week(desk, patient, other_patient)

    reviews = _spanish(alex_in_spanish, "/staff/reviews/")
    schedule = _spanish(alex_in_spanish, "/staff/schedule/")
    credentials = _spanish(alex_in_spanish, "/staff/credentials/")
    _spanish(alex_in_spanish, "/staff/feed/")
    alex_in_spanish.post("/staff/feed/rotate/")
    feed = _spanish(alex_in_spanish, "/staff/feed/")
    hours = _spanish(alex_in_spanish, f"/staff/schedule/hours/?practitioner={desk.alex.pk}&clinic={desk.clinic.pk}")

    assert "Cuestionarios por revisar" in reviews and "lunes, 1 de junio de 2026, 10:00" in reviews
    assert "Horario semanal de trabajo" in schedule
    assert all(day in schedule for day in ("Lunes", "Miércoles", "Domingo")), "weekday names from the locale"
    assert "21 de junio de 2026, dentro de 20 días" in credentials
    assert "Su suscripción está activa" in feed
    assert ">Lunes</option>" in hours and ">Elija un día</option>" in hours


def test_an_appointment_page_is_in_spanish(
    desk: Desk, alex_in_spanish: Client, patient: Patient, other_patient: Patient
) -> None:
    earlier = book_needling(desk, patient, desk.at("10:00", MONDAY - timedelta(days=7)))
    with time_machine.travel(earlier.end, tick=False):
        note = NoteInput(
            pain_before=8, pain_after=5, regions=["upper_back"], adverse_events=[], consent_reconfirmed=True
        )
        care_services.record_note_and_complete(earlier, author=desk.alex.user, note=note)
    visit = book_needling(desk, patient, desk.at("10:00"), answers=REVIEW)

    page = _spanish(alex_in_spanish, f"/staff/appointments/{visit.pk}/")
    consent = _spanish(alex_in_spanish, f"/staff/appointments/{visit.pk}/consent/")
    notes = _spanish(alex_in_spanish, f"/staff/appointments/{earlier.pk}/notes/")
    move = _spanish(alex_in_spanish, f"/staff/appointments/{visit.pk}/move/")
    cancel = _spanish(alex_in_spanish, f"/staff/appointments/{visit.pk}/cancel/")

    assert "lunes, 1 de junio de 2026, 10:00" in page
    assert "Cuestionario de salud" in page and "Su revisión" in page
    assert "Valor inicial 8 el 25 may 2026" in page and "3 puntos mejor" in page
    assert "Parte superior de la espalda" in page, "the regions treated in words"
    assert "Consentimiento firmado" in consent
    assert "Dolor antes de la sesión" in notes
    assert "Mover esta cita" in move and "Cancelar esta cita" in cancel


def test_messages_after_an_action_are_in_the_staff_language(
    desk: Desk, alex_in_spanish: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("09:30"))

    response = alex_in_spanish.post(f"/staff/appointments/{visit.pk}/arrived/", follow=True)

    assert "Llegada registrada." in body(response)


def test_the_calendar_feed_speaks_the_practitioners_language(desk: Desk) -> None:
    _speaks(desk.alex.user, "fr")
    token = staff_services.rotate_feed_token(desk.alex, actor=desk.alex.user)

    feed = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/staff/feed/{token}.ics").content.decode()

    assert "X-WR-CALNAME:Acus : Alex Morgan" in feed


def test_the_credential_email_goes_out_in_each_admins_language(
    desk: Desk, django_capture_on_commit_callbacks: object
) -> None:
    _speaks(desk.admin, "fr")
    Credential.objects.filter(practitioner=desk.alex).delete()
    make_credential(desk.alex, jurisdiction="GB", valid_until=MONDAY + timedelta(days=30))

    assert check_credential_expiry.apply().get() == 1

    (message,) = mail.outbox
    assert message.subject == "L'habilitation à la puncture sèche de Alex Morgan expire le 1 juillet 2026"
    assert "dans 30 jours" in message.body


def test_the_staff_api_answers_errors_in_the_staff_language(desk: Desk, alex_in_spanish: Client) -> None:
    response = alex_in_spanish.get(
        "/api/v1/staff/appointments", {"start": "2026-06-02T00:00:00+00:00", "end": "2026-06-01T00:00:00+00:00"}
    )

    assert response.status_code == 400
    assert "El final debe ser posterior al inicio." in response.content.decode()
    assert "end" in response.json()["fields"], "field names stay machine codes"
