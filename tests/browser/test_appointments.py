"""My appointments on a phone: move an appointment, cancel one, and be told in plain
words (with the clinic's phone) when it is too late to change one online."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from booking.models import Appointment
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment
from tests.booking.pages import Journey, free_slots, make_journey_clinic
from tests.browser.journey import look, sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Appointment.Status


@pytest.fixture
def clinic(transactional_db: None) -> Journey:
    return make_journey_clinic()


def test_a_patient_moves_then_cancels_an_appointment_and_is_told_when_it_is_too_late(
    phone: Any, live_server: Any, clinic: Journey
) -> None:
    patient = make_patient("pat@example.com", legal_name="Pat Example", phone="+447911123456")
    later = [
        s for s in free_slots(clinic.plain, clinic.alex, limit=200) if s.start > timezone.now() + timedelta(days=3)
    ]
    booked = insert_appointment(patient, clinic.alex, clinic.plain, later[0].start)
    soon = insert_appointment(
        patient, clinic.priya, clinic.plain, timezone.now().replace(second=0, microsecond=0) + timedelta(hours=3)
    )

    phone.goto(live_server.url + "/appointments/")
    sign_in_with_code(phone, "pat@example.com", live_server, "manage-1")
    phone.wait_for_url("**/appointments/")
    look(phone, "manage-2-my-appointments", live_server)
    assert phone.get_by_text("Changes online close 24 hours before the appointment.").is_visible()

    phone.get_by_role("link", name="Change the time").first.click()
    phone.wait_for_url("**/reschedule/**")
    look(phone, "manage-3-reschedule", live_server)
    day = (timezone.now() + timedelta(days=5)).astimezone(clinic.clinic.zone).date()
    phone.locator(f'a.day[href$="day={day.isoformat()}"]').click()
    phone.wait_for_url(f"**day={day.isoformat()}")
    phone.locator(".time-button").nth(3).click()
    phone.wait_for_url(f"**/appointments/{booked.pk}/")
    assert phone.get_by_text("Your appointment has moved to the new time.").is_visible()
    look(phone, "manage-4-moved", live_server)
    booked.refresh_from_db()
    assert booked.version == 2 and booked.start != later[0].start

    phone.get_by_role("link", name="Cancel", exact=True).click()
    look(phone, "manage-5-cancel", live_server)
    phone.get_by_role("button", name="Yes, cancel it").click()
    phone.wait_for_url("**/appointments/")
    assert phone.get_by_text("Your appointment is cancelled.").is_visible()
    look(phone, "manage-6-cancelled", live_server)
    assert Appointment.objects.get(pk=booked.pk).status == Status.CANCELLED

    phone.goto(f"{live_server.url}/appointments/{soon.pk}/cancel/")
    assert phone.get_by_role("link", name="+44 117 496 0123").first.is_visible()
    assert phone.get_by_role("button", name="Yes, cancel it").count() == 0
    look(phone, "manage-7-too-late", live_server)
    assert Appointment.objects.get(pk=soon.pk).status == Status.CONFIRMED
