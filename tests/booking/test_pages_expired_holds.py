"""After the journey: a hold that ran out is explained, books nothing, and can be replaced
by one of the next free times."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient
from booking import services
from booking.models import Appointment
from consent.models import SignedConsent
from tests.booking.pages import (
    ANSWERS_CLEAR,
    Journey,
    expire,
    free_slots,
    held,
    hold,
    sign_in,
    signature,
    walk_to_consent,
)

pytestmark = pytest.mark.django_db
Status = Appointment.Status


# --- Expired holds --------------------------------------------------------------------------


def test_an_expired_hold_is_explained_and_the_next_free_times_are_offered(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    hold(client, journey.needling, free_slots(journey.needling)[0])
    appointment = held(patient)
    expire(appointment)

    page = client.get(f"/appointments/{appointment.pk}/details/", follow=True)

    html = page.content.decode()
    assert "The time we held for you has run out" in html
    assert "Nothing was booked" in html
    assert html.count('class="time-button time-button--long"') >= 1
    assert f'action="/book/{journey.needling.pk}/hold/"' in html


def test_signing_after_the_hold_ran_out_books_nothing(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    expire(Appointment.objects.get(pk=pk))

    response = client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()}, follow=True)

    assert b"has run out" in response.content
    assert not SignedConsent.objects.exists()
    assert Appointment.objects.get(pk=pk).status == Status.HELD


def test_a_released_hold_reads_the_same(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    hold(client, journey.needling, free_slots(journey.needling)[0])
    appointment = held(patient)
    expire(appointment)
    services.release_expired_holds()

    page = client.get(f"/appointments/{appointment.pk}/")

    assert b"has run out" in page.content
    assert Appointment.objects.get(pk=appointment.pk).cancel_reason == "hold_expired"


def test_an_expired_hold_can_be_replaced_by_one_of_the_offered_times(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    first = free_slots(journey.needling)[0]
    hold(client, journey.needling, first)
    expire(held(patient))

    response = hold(client, journey.needling, first, who=str(held(patient).practitioner_id), token="another-page-123")

    newest = held(patient)
    assert response["Location"] == f"/appointments/{newest.pk}/details/"
    assert newest.status == Status.HELD and newest.start == first.start
