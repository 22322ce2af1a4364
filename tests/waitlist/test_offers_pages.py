"""The offer's page and API: sign-in first, the patient's own offer only, one button to book it,
then the usual booking steps; a taken or expired offer gets a kind page with other times."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from tests.accounts.factories import make_patient
from tests.accounts.sign_in import api_as
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.core.i18n import english_left_in
from tests.waitlist.offers_world import add_entry, at, free_slot, matches, secret_of, weekday_ahead
from waitlist.models import FreedSlot, Mode, Offer, WaitlistSettings
from waitlist.services import offers

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


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
    return free_slot(physio, kind, at(clinic, weekday_ahead(clinic), "10:00"))


def offer_for(patient: Patient, slot: FreedSlot, kind: AppointmentType) -> tuple[Offer, str]:
    [offer] = offers.make_offers(slot, matches([add_entry(patient, kind)], slot), now=timezone.now())
    return offer, secret_of(offer)


def signed_in(patient: Patient) -> Client:
    client = Client()
    client.force_login(patient.user, backend=BACKEND)
    return client


def test_the_link_asks_a_stranger_to_sign_in_first(slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    _offer, secret = offer_for(patient, slot, kind)
    url = reverse("waitlist:offer", args=[secret])

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:patient-sign-in"))
    assert "next=" in response["Location"]


def test_the_page_shows_the_time_records_the_opening_and_booking_leads_to_the_usual_steps(
    slot: FreedSlot, kind: AppointmentType, patient: Patient
) -> None:
    offer, secret = offer_for(patient, slot, kind)
    client = signed_in(patient)
    url = reverse("waitlist:offer", args=[secret])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Follow-up treatment" in html and "Alex Morgan" in html and "Book this time" in html
    offer.refresh_from_db()
    opened = offer.opened_at
    assert opened is not None
    client.get(url)
    offer.refresh_from_db()
    assert offer.opened_at == opened  # idempotent

    response = client.post(url)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLAIMED
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:appointment", args=[offer.claimed_id])


def test_another_patients_link_is_not_found(slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    _offer, secret = offer_for(patient, slot, kind)
    client = signed_in(make_patient())
    url = reverse("waitlist:offer", args=[secret])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert signed_in(patient).get(reverse("waitlist:offer", args=["nothing-here"])).status_code == 404


def test_a_taken_time_gets_a_kind_page_with_other_times_and_the_patient_stays_on_the_list(
    clinic: Clinic, slot: FreedSlot, kind: AppointmentType, patient: Patient
) -> None:
    WaitlistSettings.objects.create(clinic=clinic, mode=Mode.BROADCAST)
    rival = make_patient()
    made = offers.make_offers(
        slot, matches([add_entry(patient, kind), add_entry(rival, kind)], slot), now=timezone.now()
    )
    offers.claim(secret_of(made[1]), patient=rival)

    response = signed_in(patient).post(reverse("waitlist:offer", args=[secret_of(made[0])]))

    assert response.status_code == 409
    html = response.content.decode()
    assert "This time has just been taken" in html and "You are still on the waitlist." in html
    assert reverse("booking:times", args=[kind.pk]) in html


def test_the_taken_page_in_spanish(clinic: Clinic, slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    patient.user.language = "es"
    patient.user.save()
    offer, secret = offer_for(patient, slot, kind)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = signed_in(patient).get(reverse("waitlist:offer", args=[secret]), HTTP_ACCEPT_LANGUAGE="es")

    html = response.content.decode()
    assert "Sigue en la lista de espera." in html
    assert english_left_in(html) == []


def test_the_api_reads_and_claims_an_offer_once(slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    _offer, secret = offer_for(patient, slot, kind)
    api = api_as(patient)

    read = api.get(f"/api/v1/waitlist/offers/{secret}")
    assert read.status_code == 200
    assert read.json()["treatment"] == "Follow-up treatment" and read.json()["status"] == "queued"

    claimed = api.post(f"/api/v1/waitlist/offers/{secret}/claim")
    assert claimed.status_code == 201
    visit = Appointment.objects.get(pk=claimed.json()["appointment"])
    assert visit.patient == patient and visit.status == Appointment.Status.HELD

    again = api.post(f"/api/v1/waitlist/offers/{secret}/claim")
    assert again.status_code == 409 and again.json()["code"] == "offer_used"


def test_the_api_hides_other_patients_offers(slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    _offer, secret = offer_for(patient, slot, kind)
    other: APIClient = api_as(make_patient())

    assert other.get(f"/api/v1/waitlist/offers/{secret}").status_code == 404
    assert other.post(f"/api/v1/waitlist/offers/{secret}/claim").status_code == 404
    assert APIClient().get(f"/api/v1/waitlist/offers/{secret}").status_code in (401, 403)


def test_a_refused_link_does_not_log_its_secret(
    slot: FreedSlot, kind: AppointmentType, patient: Patient, caplog: pytest.LogCaptureFixture
) -> None:
    _offer, secret = offer_for(patient, slot, kind)
    caplog.set_level("DEBUG")

    signed_in(make_patient()).get(reverse("waitlist:offer", args=[secret]))
    api_as(make_patient()).post(f"/api/v1/waitlist/offers/{secret}/claim")

    assert "Not Found" in caplog.text
    assert secret not in caplog.text


def test_the_offer_page_in_french(slot: FreedSlot, kind: AppointmentType, patient: Patient) -> None:
    patient.user.language = "fr"
    patient.user.save()
    _offer, secret = offer_for(patient, slot, kind)

    response = signed_in(patient).get(reverse("waitlist:offer", args=[secret]), HTTP_ACCEPT_LANGUAGE="fr")

    html = response.content.decode()
    assert "Réserver ce créneau" in html
    assert english_left_in(html) == []
