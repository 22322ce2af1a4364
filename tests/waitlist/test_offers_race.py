"""Fifty patients claim one broadcast offer at the same moment, each on its own connection: the
appointment's constraints and the one-claim-per-slot constraint leave exactly one booking, and
the 49 others get a clear "this time has just been taken"."""

from __future__ import annotations

from functools import partial

import pytest
from django.utils import timezone

from booking.models import Appointment
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.booking.overlaps import assert_no_overlaps
from tests.races import race
from tests.resources import need_postgres
from tests.waitlist.offers_world import add_entry, at, free_slot, matches, secret_of, weekday_ahead
from waitlist.models import Entry, FreedSlot, Mode, Offer, WaitlistSettings
from waitlist.services import offers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
CLAIMS = 50


def test_fifty_concurrent_claims_of_one_broadcast_slot_give_one_booking_and_49_clear_answers() -> None:
    need_postgres()
    clinic = make_clinic()
    kind = make_type(clinic, minutes=60)
    physio = make_practitioner(clinic)
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST, broadcast_size=CLAIMS)
    slot = free_slot(physio, kind, at(clinic, weekday_ahead(clinic), "11:00"))
    entries = [add_entry(make_patient(), kind) for _ in range(CLAIMS)]
    made = offers.make_offers(slot, matches(entries, slot), now=timezone.now())
    assert len(made) == CLAIMS
    links = [(secret_of(offer), offer.entry.patient) for offer in made]

    outcomes = race([partial(offers.claim, secret, patient=patient) for secret, patient in links], wait=60, join=180)

    assert len(outcomes) == CLAIMS
    won = [o for o in outcomes if isinstance(o, Appointment)]
    refused = [o for o in outcomes if isinstance(o, offers.OfferError)]
    assert len(won) == 1, [o for o in outcomes if not isinstance(o, Appointment | offers.OfferError)]
    assert len(refused) == CLAIMS - 1
    assert {(r.code, str(r)) for r in refused} == {("offer_taken", "This time has just been taken.")}
    assert Appointment.objects.count() == 1
    assert_no_overlaps()
    assert Offer.objects.filter(status=Offer.Status.CLAIMED).count() == 1
    assert Offer.objects.filter(status=Offer.Status.TAKEN).count() == CLAIMS - 1
    slot.refresh_from_db()
    assert slot.outcome == FreedSlot.Outcome.FILLED and slot.filled_by_id == won[0].pk
    assert Entry.objects.filter(status=Entry.Status.WAITING).count() == CLAIMS  # the others stay on the list
