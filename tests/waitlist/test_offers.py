"""Offers of freed time: sequential (one at a time, with an exclusive hold), broadcast (first to
claim wins), single-use links, expiry passing the time on, and staff's own choice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import Patient
from booking import errors
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from notifications.models import Kind, Notification
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.waitlist.offers_world import add_entry, at, free_slot, matches, secret_of, weekday_ahead
from waitlist.models import Entry, FreedSlot, Mode, Offer, Reach, WaitlistSettings
from waitlist.selectors.offers import offer_history
from waitlist.services import offers

pytestmark = pytest.mark.django_db
Held = Appointment.Status.HELD


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


@pytest.fixture
def kind(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60)


@pytest.fixture
def physio(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


@pytest.fixture
def slot(clinic: Clinic, kind: AppointmentType, physio: Practitioner) -> FreedSlot:
    return free_slot(physio, kind, at(clinic, weekday_ahead(clinic), "10:00"))


def three_waiting(kind: AppointmentType) -> list[Entry]:
    return [add_entry(make_patient(), kind) for _ in range(3)]


def test_sequential_offers_the_first_in_line_alone_with_an_exclusive_hold(
    slot: FreedSlot, kind: AppointmentType
) -> None:
    entries = three_waiting(kind)
    now = timezone.now()

    [offer] = offers.make_offers(slot, matches(entries, slot), now=now)

    assert offer.entry == entries[0]
    assert offer.hold is not None and offer.hold.status == Held and offer.hold.patient == entries[0].patient
    assert offer.hold.hold_expires_at == offer.expires_at == now + timedelta(minutes=30)
    # Nobody else can take the time while the offer runs.
    with pytest.raises(errors.SlotUnavailable):
        offers.hold_appointment(make_patient(), appointment_type=kind, start=slot.start, practitioner=slot.practitioner)
    # Asking again while the offer runs offers nobody else.
    assert offers.make_offers(slot, matches(entries, slot), now=now) == []
    [row] = Notification.objects.filter(offer=offer)
    assert (row.kind, row.channel, row.appointment, row.plan) == (Kind.WAITLIST_OFFER, "email", None, None)
    assert offers.hash_of(row.context["secret"]) == offer.token_hash


def test_an_offer_ends_before_the_patients_notice_and_a_too_soon_slot_is_not_offered(
    clinic: Clinic, kind: AppointmentType, physio: Practitioner
) -> None:
    now = timezone.now()
    soon = free_slot(physio, kind, (now + timedelta(minutes=50)).replace(microsecond=0))
    later = free_slot(physio, kind, now.replace(microsecond=0) + timedelta(hours=2, minutes=10))
    entry = add_entry(make_patient(), kind, notice=120)

    assert offers.make_offers(soon, matches([entry], soon), now=now) == []
    assert not Notification.objects.exists()
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST)
    [offer] = offers.make_offers(later, matches([entry], later), now=now)
    assert offer.expires_at == later.start - timedelta(minutes=120)


def test_an_unanswered_sequential_offer_releases_its_hold_and_passes_to_the_next(
    slot: FreedSlot, kind: AppointmentType
) -> None:
    entries = three_waiting(kind)
    now = timezone.now()
    [first] = offers.make_offers(slot, matches(entries, slot), now=now)
    later = now + timedelta(minutes=31)

    # pass_on_expired = end_expired + offer_slot (matches_for, the matching part, then make_offers).
    ended, slots = offers.end_expired(later)
    assert (ended, slots) == (1, [slot])
    offers.make_offers(slot, matches(entries, slot), now=later)

    first.refresh_from_db()
    assert first.status == Offer.Status.EXPIRED
    assert first.hold is not None
    hold = Appointment.objects.get(pk=first.hold.pk)
    assert (hold.status, hold.cancel_reason) == (Appointment.Status.CANCELLED, "offer_expired")
    [second] = Offer.objects.filter(status=Offer.Status.QUEUED)
    assert second.entry == entries[1] and second.hold is not None and second.hold.status == Held
    with pytest.raises(offers.OfferError) as refused:
        offers.claim(secret_of(first), patient=entries[0].patient, now=later)
    assert refused.value.code == "offer_expired"


def test_claiming_a_sequential_offer_keeps_the_hold_and_fills_the_slot_once(
    slot: FreedSlot, kind: AppointmentType
) -> None:
    [entry] = [add_entry(make_patient(), kind)]
    now = timezone.now()
    [offer] = offers.make_offers(slot, matches([entry], slot), now=now)

    visit = offers.claim(secret_of(offer), patient=entry.patient, now=now + timedelta(minutes=5))

    assert visit == offer.hold and visit.status == Held
    # At least the clinic's usual hold time to finish booking (here the offer's own is longer).
    assert visit.hold_expires_at == max(offer.expires_at, now + timedelta(minutes=5) + slot.clinic.hold_duration)
    slot.refresh_from_db()
    assert slot.outcome == FreedSlot.Outcome.FILLED and slot.filled_by == visit
    assert slot.filled_at == now + timedelta(minutes=5)
    with pytest.raises(offers.OfferError) as again:  # the link is single-use
        offers.claim(secret_of(offer), patient=entry.patient, now=now + timedelta(minutes=6))
    assert again.value.code == "offer_used"


def test_broadcast_offers_the_first_n_and_the_first_claim_wins(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType
) -> None:
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST, broadcast_size=2)
    entries = three_waiting(kind)
    now = timezone.now()

    made = offers.make_offers(slot, matches(entries, slot), now=now)

    assert [o.entry for o in made] == entries[:2] and all(o.hold is None for o in made)
    assert not Appointment.objects.exists()
    winner = offers.claim(secret_of(made[1]), patient=entries[1].patient, now=now)
    assert winner.patient == entries[1].patient and winner.status == Held
    with pytest.raises(offers.OfferError) as late:
        offers.claim(secret_of(made[0]), patient=entries[0].patient, now=now)
    assert late.value.code == "offer_taken"
    assert str(late.value) == "This time has just been taken."
    made[0].refresh_from_db()
    assert made[0].status == Offer.Status.TAKEN
    assert Entry.objects.get(pk=entries[0].pk).status == Entry.Status.WAITING  # still on the list


def test_another_patient_cannot_claim_an_offer(slot: FreedSlot, kind: AppointmentType) -> None:
    entry = add_entry(make_patient(), kind)
    [offer] = offers.make_offers(slot, matches([entry], slot), now=timezone.now())

    with pytest.raises(Http404):
        offers.claim(secret_of(offer), patient=make_patient())
    with pytest.raises(Http404):
        offers.claim("not-a-real-secret", patient=entry.patient)


def test_a_text_message_goes_to_a_patient_with_a_phone_and_email_otherwise(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType
) -> None:
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST)
    texted = add_entry(make_patient(phone="+447911123456", notify_sms=True), kind, reach=Reach.SMS)
    no_phone = add_entry(make_patient(), kind, reach=Reach.SMS)

    made = offers.make_offers(slot, matches([texted, no_phone], slot), now=timezone.now())

    channels = [Notification.objects.get(offer=o).channel for o in made]
    assert channels == ["sms", "email"]


def test_staff_offer_a_free_time_to_a_chosen_patient(
    clinic: Clinic, kind: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    entry = add_entry(patient, kind)
    start = at(clinic, weekday_ahead(clinic), "14:00")
    staff = make_staff()

    offer = offers.offer_to(entry, practitioner=physio, appointment_type=kind, start=start, by=staff)

    assert offer.offered_by == staff and offer.slot.cause == FreedSlot.Cause.STAFF
    assert offer.hold is not None  # sequential by default
    with pytest.raises(errors.BookingError):
        offers.offer_to(entry, practitioner=physio, appointment_type=kind, start=start, by=staff)


def test_the_offer_history_lists_a_clinics_offers_by_practitioner_and_day(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType, physio: Practitioner
) -> None:
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST)
    entries = three_waiting(kind)
    made = offers.make_offers(slot, matches(entries, slot), now=timezone.now())
    day = slot.start.astimezone(clinic.zone).date()

    history = offer_history(clinic, practitioner=physio, day=day)

    assert list(history) == made[::-1]
    assert list(offer_history(clinic, day=day + timedelta(days=1))) == []
    assert list(offer_history(make_clinic())) == []
