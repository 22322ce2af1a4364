"""An offer's message through the outbox: the link, the patient's language, quiet hours (a text
waits for their end only if the offer still runs then), nothing once the offer has ended or the
slot is too soon, and sending marks the offer sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from notifications.models import Notification
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.notifications.courses import send_due, the_email
from tests.waitlist.offers_world import add_entry, at, free_slot, matches
from waitlist.models import Entry, FreedSlot, Mode, Offer, Reach, WaitlistSettings
from waitlist.services import offers

pytestmark = pytest.mark.django_db
Status = Notification.Status
DAY = date(2031, 3, 4)  # a Tuesday; the slot is at 10:00 London
EVE = date(2031, 3, 3)


@pytest.fixture(autouse=True)
def _site() -> Iterator[None]:
    with override_settings(NOTIFICATIONS_NUDGE=False, SITE_URL="https://acus.example"):
        yield


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic(name="Harbour Physio")


@pytest.fixture
def kind(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, name="Follow-up treatment")


@pytest.fixture
def physio(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Alex Morgan")


@pytest.fixture
def slot(clinic: Clinic, kind: AppointmentType, physio: Practitioner) -> FreedSlot:
    return free_slot(physio, kind, at(clinic, DAY, "10:00"))


def texted(kind: AppointmentType) -> Patient:
    patient = make_patient(phone="+447911123456", notify_sms=True)
    add_entry(patient, kind, notice=60, reach=Reach.SMS)
    return patient


def only_offer(slot: FreedSlot, patient: Patient, now: datetime) -> Offer:
    entries = list(Entry.objects.filter(patient=patient))
    [offer] = offers.make_offers(slot, matches(entries, slot), now=now)
    return offer


def test_the_email_carries_the_time_the_expiry_and_the_single_use_link(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType, patient: Patient
) -> None:
    add_entry(patient, kind)
    now = at(clinic, EVE, "15:00")
    offer = only_offer(slot, patient, now)
    secret = Notification.objects.get(offer=offer).context["secret"]

    [(pk, status)] = send_due(now=now).items()

    assert status == Status.SENT
    email = the_email()
    link = f"https://acus.example/waitlist/offers/{secret}/"
    assert link in email.body and link in email.html
    assert "Follow-up treatment" in email.body and "Alex Morgan" in email.body
    assert "Tuesday, 4 March 2031" in email.body and "10:00" in email.body
    assert "15:30" in email.body  # the offer runs 30 minutes
    assert email.subject == "Harbour Physio: a time has come up for you"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT and offer.sent_at == now
    # Once sent, the outbox row no longer keeps the secret.
    assert Notification.objects.get(pk=pk).context == {}


def test_the_offer_is_written_in_the_patients_language(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType, patient: Patient
) -> None:
    patient.user.language = "es"
    patient.user.save()
    add_entry(patient, kind)
    only_offer(slot, patient, at(clinic, EVE, "15:00"))

    send_due(now=at(clinic, EVE, "15:00"))

    email = the_email()
    assert "Ha surgido una hora para usted" in email.html
    assert "marzo" in email.body


@override_settings(SMS_BACKEND="file")
def test_quiet_hours_defer_the_text_until_morning_if_the_offer_still_runs(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType, tmp_path: Path, settings: object
) -> None:
    setattr(settings, "SMS_FILE_PATH", str(tmp_path / "sms.jsonl"))  # noqa: B010
    WaitlistSettings.objects.create(clinic=clinic, offer_minutes=12 * 60)
    patient = texted(kind)
    late = at(clinic, EVE, "22:30")
    offer = only_offer(slot, patient, late)
    [row] = Notification.objects.filter(offer=offer)
    assert row.channel == "sms"

    assert send_due(now=late) == {row.pk: Status.PENDING}
    row.refresh_from_db()
    assert row.next_attempt_at == at(clinic, DAY, "08:00") and row.attempts == 0

    assert send_due(now=at(clinic, DAY, "08:00")) == {row.pk: Status.SENT}
    [line] = (tmp_path / "sms.jsonl").read_text().splitlines()
    text = json.loads(line)["text"]
    assert "https://acus.example/waitlist/offers/" in text and "Follow-up treatment" in text


def test_a_text_is_skipped_when_quiet_hours_outlast_the_offer(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType
) -> None:
    patient = texted(kind)
    late = at(clinic, EVE, "22:30")
    offer = only_offer(slot, patient, late)  # runs 30 minutes, all of them quiet

    [(pk, status)] = send_due(now=late).items()

    assert status == Status.SKIPPED
    assert Notification.objects.get(pk=pk).last_error == "quiet hours last until the offer ends"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.QUEUED and offer.sent_at is None


def test_nothing_is_sent_for_an_offer_that_ended_or_a_slot_now_too_soon(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType, patient: Patient
) -> None:
    entry = add_entry(patient, kind, notice=60)
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST, offer_minutes=24 * 60)
    other = add_entry(make_patient(), kind, notice=60)
    now = at(clinic, EVE, "15:00")
    first, second = offers.make_offers(slot, matches([entry, other], slot), now=now)
    Offer.objects.filter(pk=first.pk).update(status=Offer.Status.TAKEN)
    other.notice_minutes = 180  # they now need three hours' notice: 08:30 is too late to tell them
    other.save()

    sent = send_due(now=at(clinic, DAY, "08:30"))

    rows = {row.offer_id: row for row in Notification.objects.filter(pk__in=sent)}
    assert rows[first.pk].status == Status.SKIPPED and rows[first.pk].last_error == "the offer is taken"
    assert rows[second.pk].status == Status.SKIPPED
    assert rows[second.pk].last_error == "too soon for the patient's notice"


def test_an_offer_row_is_written_once_per_offer(slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    entry = add_entry(patient, kind)
    offers.make_offers(slot, matches([entry], slot), now=at(slot.clinic, EVE, "15:00"))
    offers.make_offers(slot, matches([entry], slot), now=at(slot.clinic, EVE, "15:00") + timedelta(hours=1))

    assert Notification.objects.filter(offer__slot=slot).count() == 1
