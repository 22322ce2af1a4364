"""The waitlist end to end on a phone, in real Chromium: a patient signs in, finds no time that
suits on a needling treatment's times page, joins the waitlist; another patient's visit at a
fitting time is cancelled; the waitlist's fill task offers it and the dispatch sends the email;
the patient opens the link, books the time and goes through details, health questions and
consent to a confirmed visit. Every page passes axe-core, has no horizontal scrolling at 320 px
and 44 px touch targets, and is kept as a screenshot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from booking import services
from booking.models import Appointment
from tests.accounts.factories import make_patient
from tests.booking.factories import local
from tests.booking.pages import Journey, make_journey_clinic
from tests.browser.journey import answer_health_questions, give_details, look_at, sign_consent, sign_in_with_code
from tests.notifications.courses import send_due
from waitlist.models import Entry, FreedSlot, Offer
from waitlist.tasks import fill_slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 44
EMAIL = "robin@example.com"
LINK = re.compile(r"/waitlist/offers/[^/\s\"<]+/")


@pytest.fixture
def clinic(transactional_db: None) -> Iterator[Journey]:
    # The fill task is called here in-process (tests/waitlist/test_end_to_end.py has the worker).
    with override_settings(NOTIFICATIONS_NUDGE=False, WAITLIST_FILL=False):
        yield make_journey_clinic(demo_content=True)


def another_patients_visit_is_cancelled(clinic: Journey) -> FreedSlot:
    """Sam's plain visit with Alex the day after tomorrow at 10:00, cancelled by Sam."""
    sam = make_patient("sam@example.com")
    day = timezone.now().astimezone(clinic.clinic.zone).date() + timedelta(days=2)
    held = services.hold_appointment(
        sam, appointment_type=clinic.plain, start=local(clinic.clinic, day, "10:00"), practitioner=clinic.alex
    )
    visit = services.confirm_appointment(held, actor=sam.user)
    services.cancel_appointment(visit, actor=sam.user)
    return FreedSlot.objects.get(source=visit)


def offer_email_link() -> str:
    """Offer the freed time (what the Celery task does) and send the outbox; the link in the email."""
    mail.outbox.clear()
    send_due(now=timezone.now())
    [message] = [m for m in mail.outbox if EMAIL in m.to]
    [(html, _mimetype)] = message.alternatives  # type: ignore[attr-defined]  # an EmailMultiAlternatives
    found = LINK.search(str(message.body))
    assert found and found.group(0) in str(html)
    return found.group(0)


def test_a_patient_joins_gets_the_offer_email_claims_signs_and_is_booked(
    phone: Any, live_server: Any, clinic: Journey
) -> None:
    robin = make_patient(EMAIL, legal_name="Robin Clear")
    phone.goto(f"{live_server.url}/appointments/")
    sign_in_with_code(phone, EMAIL, live_server, "waitlist-1")
    phone.wait_for_url("**/appointments/")

    # No time that suits: join the waitlist from the needling treatment's times page.
    phone.goto(f"{live_server.url}/book/{clinic.needling.pk}/times/?practitioner=any")
    look_at(phone, "waitlist-2-times", live_server, target=TARGET)
    phone.get_by_role("link", name=re.compile("Join the waitlist")).click()
    phone.wait_for_url(f"**/waitlist/join/{clinic.needling.pk}/**")
    look_at(phone, "waitlist-3-join", live_server, target=TARGET)
    phone.get_by_label("Morning (before 12:00)").check()
    phone.get_by_label("Email", exact=True).check()
    phone.get_by_role("button", name="Join the waitlist").click()
    phone.wait_for_url("**/appointments/")
    look_at(phone, "waitlist-4-joined", live_server, target=TARGET)
    entry = Entry.objects.get(patient=robin)
    assert entry.status == Entry.Status.WAITING and entry.appointment_type == clinic.needling

    slot = another_patients_visit_is_cancelled(clinic)
    assert fill_slot(slot.pk) == 1
    link = offer_email_link()

    phone.goto(live_server.url + link)
    look_at(phone, "waitlist-5-offer", live_server, target=TARGET)
    phone.get_by_role("button", name="Book this time").click()
    give_details(phone, live_server, "waitlist", name="Robin Clear", born="1985-04-02", phone="+447911123456")
    answer_health_questions(phone, live_server, "waitlist")
    sign_consent(phone, live_server, "waitlist", typed_name="Robin Clear")
    phone.wait_for_url("**/appointments/*/")
    assert phone.get_by_role("heading", level=1).inner_text() == "You're booked"
    look_at(phone, "waitlist-9-booked", live_server, target=TARGET)

    offer = Offer.objects.select_related("claimed", "slot", "entry").get()
    assert offer.status == Offer.Status.CLAIMED and offer.opened_at is not None
    assert offer.claimed is not None and offer.claimed.status == Appointment.Status.CONFIRMED
    assert offer.claimed.appointment_type == clinic.needling and offer.claimed.start == slot.start
    assert offer.slot.outcome == FreedSlot.Outcome.FILLED and offer.slot.filled_by == offer.claimed
    assert offer.entry.status == Entry.Status.BOOKED
