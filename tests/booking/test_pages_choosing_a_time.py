"""The booking journey through the pages, with Django's test client, up to the hold: the
clinic's treatments and practitioners, the times, signing in, and holding the time chosen."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from booking.views.common import slot_code
from tests.accounts.sign_in import code_from_mail
from tests.booking.pages import Journey, free_slots, held, hold, sign_in

pytestmark = pytest.mark.django_db
Status = Appointment.Status


def test_home_shows_the_clinic_its_treatments_and_one_book_action(client: Client, journey: Journey) -> None:
    page = client.get("/").content.decode()

    assert "Harbour Physiotherapy" in page
    assert "Follow-up dry needling" in page and "Assessment without needling" in page
    assert 'href="/book/"' in page
    assert "+44 117 496 0123" in page


def test_the_manifest_still_lets_a_patient_add_acus_to_a_home_screen(client: Client) -> None:
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    assert len(response.json()["icons"]) == 2


def test_treatments_and_practitioners_lead_to_the_times(client: Client, journey: Journey) -> None:
    treatments = client.get("/book/").content.decode()
    people = client.get(f"/book/{journey.needling.pk}/").content.decode()

    assert f'href="/book/{journey.needling.pk}/"' in treatments
    assert "First available" in people and "Alex Morgan" in people and "Priya Shah" in people
    assert f"/book/{journey.needling.pk}/times/?practitioner={journey.alex.pk}" in people


def test_the_times_page_shows_a_day_strip_and_times_in_the_clinic_zone(client: Client, journey: Journey) -> None:
    slot = free_slots(journey.needling, journey.alex)[0]
    day = slot.start.astimezone(journey.clinic.zone).date()

    page = client.get(f"/book/{journey.needling.pk}/times/?practitioner={journey.alex.pk}&day={day}")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'aria-current="date"' in html
    assert "Europe/London" in html
    assert f'value="{slot_code(slot.start)}"' in html
    assert slot.start.astimezone(journey.clinic.zone).strftime("%H:%M") in html


@pytest.mark.parametrize(
    "query", ["day=nonsense", "day=1999-01-01", "day=2999-12-31", "practitioner=any&day=2026-02-30"]
)
def test_a_bad_day_falls_back_to_the_first_free_day(client: Client, journey: Journey, query: str) -> None:
    assert client.get(f"/book/{journey.needling.pk}/times/?{query}").status_code == 200


@pytest.mark.parametrize("who", ["abc", "999999", "-1"])
def test_an_unknown_practitioner_is_a_404_not_a_500(client: Client, journey: Journey, who: str) -> None:
    assert client.get(f"/book/{journey.needling.pk}/times/?practitioner={who}").status_code == 404


def test_an_inactive_or_unknown_treatment_is_a_404(client: Client, journey: Journey) -> None:
    journey.plain.active = False
    journey.plain.save()

    assert client.get(f"/book/{journey.plain.pk}/").status_code == 404
    assert client.get("/book/999999/times/").status_code == 404


def test_choosing_a_time_signs_in_first_then_holds_it(client: Client, journey: Journey) -> None:
    slot = free_slots(journey.needling)[0]

    response = hold(client, journey.needling, slot)

    assert response.status_code == 302 and response["Location"].startswith("/signin/?next=")
    next_url = unquote(response["Location"].split("next=", 1)[1])
    assert next_url == f"/book/{journey.needling.pk}/hold/any/{slot_code(slot.start)}/"
    client.post("/signin/", {"email": "new@example.com", "next": next_url})
    signed_in = client.post("/signin/code/", {"code": code_from_mail(), "next": next_url})
    assert signed_in["Location"] == next_url
    assert len(mail.outbox) == 1
    choice = client.get(next_url)
    assert choice.status_code == 200 and b"Hold this time" in choice.content
    patient = Patient.objects.get(user__email="new@example.com")
    assert not Appointment.objects.filter(patient=patient).exists(), "a GET never holds"

    hold(client, journey.needling, slot, token="after-sign-in-1234")

    assert held(patient).status == Status.HELD


def test_a_signed_in_patient_goes_straight_from_a_time_to_their_details(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)

    response = hold(client, journey.needling, free_slots(journey.needling)[0])

    appointment = held(patient)
    assert response["Location"] == f"/appointments/{appointment.pk}/details/"
    page = client.get(response["Location"]).content.decode()
    assert "We are holding this time for you until" in page
    assert "data-hold-expires" in page


def test_a_double_tap_on_a_time_books_it_once(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    slot = free_slots(journey.needling)[0]

    first = hold(client, journey.needling, slot)
    second = hold(client, journey.needling, slot)

    assert first["Location"] == second["Location"]
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_choosing_another_time_releases_the_first_hold(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    first, second = free_slots(journey.needling)[:2]
    hold(client, journey.needling, first)

    hold(client, journey.needling, second)  # back to the times page, or from a second tab

    live = Appointment.objects.filter(patient=patient, status=Status.HELD)
    assert [a.start for a in live] == [second.start]
    released = Appointment.objects.get(patient=patient, start=first.start)
    page = client.get(f"/appointments/{released.pk}/details/", follow=True).content.decode()
    assert "You chose another time instead" in page


def test_a_time_taken_meanwhile_sends_the_patient_back_to_the_times_with_a_reason(
    client: Client, journey: Journey, patient: Patient, other_patient: Patient
) -> None:
    slot = free_slots(journey.needling, journey.alex)[0]
    hold(sign_in(Client(), other_patient), journey.needling, slot, who=str(journey.alex.pk))
    sign_in(client, patient)

    response = hold(client, journey.needling, slot, who=str(journey.alex.pk))

    assert response.status_code == 302 and "/times/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "just been taken" in page or "just booked" in page
    assert not Appointment.objects.filter(patient=patient).exists()


@pytest.mark.parametrize("start", ["", "yesterday", "20260230T1000Z", "19990101T1000Z", "20990101T1007Z"])
def test_a_bad_or_impossible_time_is_refused_in_words(
    client: Client, journey: Journey, patient: Patient, start: str
) -> None:
    sign_in(client, patient)

    response = client.post(f"/book/{journey.needling.pk}/hold/", {"start": start, "token": "x" * 20}, follow=True)

    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert not Appointment.objects.filter(patient=patient).exists()


def test_a_treatment_nobody_offers_says_so_instead_of_showing_times(client: Client, journey: Journey) -> None:
    journey.alex.appointment_types.remove(journey.plain)
    journey.priya.appointment_types.remove(journey.plain)

    people = client.get(f"/book/{journey.plain.pk}/").content.decode()
    times = client.get(f"/book/{journey.plain.pk}/times/").content.decode()

    assert "Nobody offers this treatment online" in people
    assert "no free times online" in times and "+44 117 496 0123" in times


@pytest.mark.parametrize("path", ["any/garbage/", "999999/20990101T1000Z/", "abc/20990101T1000Z/"])
def test_a_tampered_choice_after_sign_in_never_breaks(
    client: Client, journey: Journey, patient: Patient, path: str
) -> None:
    sign_in(client, patient)

    response = client.get(f"/book/{journey.needling.pk}/hold/{path}")

    assert response.status_code in (302, 404)
    assert not Appointment.objects.exists()
