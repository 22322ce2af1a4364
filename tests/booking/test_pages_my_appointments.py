"""After the journey: my appointments, cancel and reschedule within policy, consents (PDF,
withdrawal), and other patients' ids."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment
from booking.views.common import slot_code
from consent.models import ConsentAccessLog, ConsentWithdrawal, SignedConsent
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment
from tests.booking.pages import (
    ANSWERS_CLEAR,
    DETAILS,
    Journey,
    book_needling,
    free_slots,
    held,
    hold,
    later_slots,
    sign_in,
    signature,
)

pytestmark = pytest.mark.django_db
Status = Appointment.Status


# --- My appointments, cancel and reschedule --------------------------------------------------------


def test_my_appointments_lists_upcoming_and_past_with_status_in_words(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    booked = book_needling(client, journey, patient)
    insert_appointment(patient, journey.alex, journey.plain, timezone.now() - timedelta(days=7), status="completed")
    later = insert_appointment(patient, journey.priya, journey.plain, later_slots(journey)[0].start)

    html = client.get("/appointments/").content.decode()

    assert "Upcoming" in html and "Past and cancelled" in html
    assert "Confirmed" in html and "Done" in html
    assert f"/appointments/{booked.pk}/" in html
    assert f"/appointments/{later.pk}/reschedule/" in html and f"/appointments/{later.pk}/cancel/" in html
    assert f"/consents/{booked.consent_id}/pdf/" in html
    assert f"/consents/{booked.consent_id}/withdraw/" in html


def test_my_appointments_needs_a_signed_in_patient(client: Client) -> None:
    response = client.get("/appointments/")

    assert response.status_code == 302 and response["Location"].startswith("/signin/?next=")


def test_a_patient_cancels_within_policy(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    slot = later_slots(journey)[0]
    appointment = insert_appointment(patient, journey.alex, journey.plain, slot.start)

    assert b"Yes, cancel it" in client.get(f"/appointments/{appointment.pk}/cancel/").content
    first = client.post(f"/appointments/{appointment.pk}/cancel/")
    second = client.post(f"/appointments/{appointment.pk}/cancel/", follow=True)

    assert first["Location"] == "/appointments/"
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    assert b"already cancelled" in second.content


def test_too_late_to_cancel_or_move_gives_the_clinic_phone(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    soon = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    appointment = insert_appointment(patient, journey.alex, journey.plain, soon)

    page = client.get(f"/appointments/{appointment.pk}/cancel/").content.decode()
    posted = client.post(f"/appointments/{appointment.pk}/cancel/")
    moved = client.get(f"/appointments/{appointment.pk}/reschedule/", follow=True).content.decode()
    listed = client.get("/appointments/").content.decode()

    for html in (page, posted.content.decode(), moved, listed):
        assert "+44 117 496 0123" in html
        assert "24 hours before" in html
    assert posted.status_code == 409
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED


def test_a_patient_moves_an_appointment_and_a_second_tap_moves_it_once(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    slots = later_slots(journey)
    appointment = insert_appointment(patient, journey.alex, journey.needling, slots[0].start)
    target = slots[4]
    day = target.start.astimezone(journey.clinic.zone).date()

    page = client.get(f"/appointments/{appointment.pk}/reschedule/?day={day}").content.decode()
    assert "Choose a new time" in page and f'value="{slot_code(target.start)}"' in page
    form = {"start": slot_code(target.start), "version": "1"}
    first = client.post(f"/appointments/{appointment.pk}/reschedule/", form)
    second = client.post(f"/appointments/{appointment.pk}/reschedule/", form, follow=True)

    appointment.refresh_from_db()
    assert first["Location"] == f"/appointments/{appointment.pk}/"
    assert (appointment.start, appointment.version) == (target.start, 2)
    assert b"already changed" in second.content


def test_the_move_page_offers_times_that_overlap_the_appointment_itself(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    starts = {slot.start for slot in later_slots(journey)}
    step = timedelta(minutes=15)
    own = next(s for s in sorted(starts) if {s - step, s + step, s + 2 * step} <= starts)
    # 30 minutes and 10 after: 10:00 blocks 10:00-10:40, so 09:45, 10:15 and 10:30 overlap it.
    appointment = insert_appointment(patient, journey.alex, journey.needling, own)
    day = own.astimezone(journey.clinic.zone).date()

    page = client.get(f"/appointments/{appointment.pk}/reschedule/?day={day}").content.decode()

    for neighbour in (own - step, own + step, own + 2 * step):
        assert f'value="{slot_code(neighbour)}"' in page
    assert f'value="{slot_code(own)}"' not in page, "its own time is shown as booked, not offered"
    response = client.post(
        f"/appointments/{appointment.pk}/reschedule/", {"start": slot_code(own + step), "version": "1"}
    )
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    appointment.refresh_from_db()
    assert (appointment.start, appointment.end, appointment.version) == (own + step, own + 3 * step, 2)


def test_sending_the_appointments_own_time_back_says_nothing_changed(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    own = later_slots(journey)[0].start
    appointment = insert_appointment(patient, journey.alex, journey.needling, own)

    response = client.post(
        f"/appointments/{appointment.pk}/reschedule/", {"start": slot_code(own), "version": "1"}, follow=True
    )

    page = response.content.decode()
    assert "nothing changed" in page
    assert "has moved" not in page
    appointment.refresh_from_db()
    assert appointment.version == 1


def test_moving_to_a_time_taken_meanwhile_says_so(
    client: Client, journey: Journey, patient: Patient, other_patient: Patient
) -> None:
    sign_in(client, patient)
    slots = later_slots(journey)
    appointment = insert_appointment(patient, journey.alex, journey.needling, slots[0].start)
    insert_appointment(other_patient, journey.alex, journey.needling, slots[4].start)

    response = client.post(
        f"/appointments/{appointment.pk}/reschedule/", {"start": slot_code(slots[4].start), "version": "1"}, follow=True
    )

    assert b"taken" in response.content
    assert Appointment.objects.get(pk=appointment.pk).start == slots[0].start


# --- Consents ---------------------------------------------------------------------------------------


def test_the_consent_pdf_is_logged_as_read_on_the_patient_page(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    booked = book_needling(client, journey, patient)

    response = client.get(f"/consents/{booked.consent_id}/pdf/")

    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    log = ConsentAccessLog.objects.get()
    assert (log.channel, log.action, log.user_id) == ("patient_page", "download", patient.user_id)


def test_withdrawing_a_consent_sends_its_visits_back_for_a_new_signature(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    booked = book_needling(client, journey, patient)

    assert b"Withdraw my consent" in client.get(f"/consents/{booked.consent_id}/withdraw/").content
    client.post(f"/consents/{booked.consent_id}/withdraw/", {"note": "Changed my mind"})
    again = client.post(f"/consents/{booked.consent_id}/withdraw/", {}, follow=True)

    assert ConsentWithdrawal.objects.filter(consent_id=booked.consent_id).count() == 1
    assert b"already withdrawn" in again.content
    booked.refresh_from_db()
    assert booked.status == Status.PENDING_REVIEW
    assert b"sign again" in client.get("/appointments/").content
    response = client.post(f"/appointments/{booked.pk}/screening/", ANSWERS_CLEAR)
    screening = response["Location"].split("screening=")[1]
    client.post(f"/appointments/{booked.pk}/consent/", {"screening": screening, **signature()})
    booked.refresh_from_db()
    first_consent = SignedConsent.objects.order_by("id")[0]
    assert booked.status == Status.CONFIRMED and booked.consent_id != first_consent.pk


# --- Other people's ids --------------------------------------------------------------------------


def test_another_patients_appointment_and_consent_are_404_everywhere(
    client: Client, journey: Journey, patient: Patient, other_patient: Patient
) -> None:
    theirs = book_needling(sign_in(Client(), other_patient), journey, other_patient)
    sign_in(client, patient)

    for path in ("", "details/", "health/", "screening/", "consent/", "calendar.ics", "cancel/", "reschedule/"):
        assert client.get(f"/appointments/{theirs.pk}/{path}").status_code == 404, path
    assert client.post(f"/appointments/{theirs.pk}/cancel/").status_code == 404
    assert client.get(f"/consents/{theirs.consent_id}/pdf/").status_code == 404
    assert client.post(f"/consents/{theirs.consent_id}/withdraw/").status_code == 404
    assert client.get(f"/appointments/{theirs.pk}/not-suitable/?screening=1").status_code == 404
    assert not ConsentAccessLog.objects.exists()
    assert Appointment.objects.get(pk=theirs.pk).status == Status.CONFIRMED


def test_a_staff_member_is_sent_to_the_patient_sign_in(client: Client, practitioner: object) -> None:
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]

    assert client.get("/appointments/")["Location"].startswith("/signin/")


def test_dates_in_the_past_and_far_future_are_refused_as_birthdays(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    hold(client, journey.needling, free_slots(journey.needling)[0])
    appointment = held(patient)

    for born in ((date.today() + timedelta(days=2)).isoformat(), "1850-01-01", "31/02/2000"):
        page = client.post(f"/appointments/{appointment.pk}/details/", {**DETAILS, "date_of_birth": born})
        assert page.status_code == 200 and b'href="#id_date_of_birth"' in page.content, born


def test_times_show_the_patients_own_zone_too_when_it_differs(client: Client, journey: Journey) -> None:
    traveller = make_patient("far@example.com", legal_name="Far Away", time_zone="America/New_York")
    sign_in(client, traveller)
    slot = later_slots(journey)[0]
    appointment = insert_appointment(traveller, journey.alex, journey.plain, slot.start)

    page = client.get(f"/appointments/{appointment.pk}/").content.decode()
    times = client.get(f"/book/{journey.plain.pk}/times/").content.decode()

    new_york = slot.start.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    assert f"{new_york} your time)" in page  # e.g. "(Tue 3 Mar, 04:00 your time)"
    assert "Your own time zone is America/New York" in times
