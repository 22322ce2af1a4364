"""Phone numbers typed the way people write them in the clinic's country: the patient's
details page and `me` read them as the country of their latest appointment's clinic, the
booking details step as the country of the clinic being booked; +CC numbers work anywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Patient, User
from booking.forms import DetailsForm
from booking.models import Clinic
from tests.accounts.sign_in import api_as
from tests.booking.factories import insert_appointment, make_clinic, make_practitioner, make_type
from tests.booking.pages import free_slots, held, hold, make_journey_clinic, sign_in

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _visit_at(patient: Patient, clinic: Clinic, *, in_days: int = 3) -> None:
    kind = make_type(clinic)
    start = timezone.now() + timedelta(days=in_days)
    insert_appointment(patient, make_practitioner(clinic), kind, start)


def _details(phone: str, **extra: str) -> dict[str, str]:
    return {"legal_name": "Pat Example", "date_of_birth": "1990-01-01", "phone": phone, "notify_email": "on", **extra}


def test_a_gb_clinics_patient_types_a_uk_mobile_the_uk_way(client: Client, patient: Patient) -> None:
    _visit_at(patient, make_clinic(country="GB"))
    client.force_login(patient.user, backend=BACKEND)

    response = client.post("/account/", _details("07911 123456"))

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.phone == "+447911123456"


def test_a_french_clinics_patient_types_a_french_mobile_the_french_way(patient: Patient) -> None:
    _visit_at(patient, make_clinic(country="FR", time_zone="Europe/Paris", jurisdiction="FR"))

    response = api_as(patient).patch("/api/v1/me", {"phone": "06 12 34 56 78"}, format="json")

    assert response.status_code == 200, response.json()
    patient.refresh_from_db()
    assert patient.phone == "+33612345678"


def test_the_latest_appointments_clinic_decides(patient: Patient) -> None:
    _visit_at(patient, make_clinic(country="GB"), in_days=5)
    # Booked last, for an earlier day: the clinic they booked with most recently decides.
    _visit_at(patient, make_clinic(country="FR", time_zone="Europe/Paris", jurisdiction="FR"), in_days=2)

    response = api_as(patient).patch("/api/v1/me", {"phone": "06 12 34 56 78"}, format="json")

    assert response.json()["phone"] == "+33612345678"


def test_without_appointments_the_first_clinics_country_is_used(patient: Patient) -> None:
    make_clinic(country="FR", time_zone="Europe/Paris", jurisdiction="FR")

    response = api_as(patient).patch("/api/v1/me", {"phone": "06 12 34 56 78"}, format="json")

    assert response.json()["phone"] == "+33612345678"


def test_without_any_clinic_the_country_code_is_needed(patient: Patient) -> None:
    response = api_as(patient).patch("/api/v1/me", {"phone": "07911 123456"}, format="json")

    assert response.status_code == 400
    assert "country code" in response.json()["fields"]["phone"][0]


@pytest.mark.parametrize("country", ["GB", "FR"])
def test_an_international_number_is_accepted_everywhere(patient: Patient, country: str) -> None:
    _visit_at(patient, make_clinic(country=country))

    response = api_as(patient).patch("/api/v1/me", {"phone": "+44 7911 123456"}, format="json")

    assert response.json()["phone"] == "+447911123456"


def test_nonsense_is_refused_in_the_patients_language(client: Client, patient: Patient) -> None:
    _visit_at(patient, make_clinic(country="FR", time_zone="Europe/Paris", jurisdiction="FR"))
    User.objects.filter(pk=patient.user.pk).update(language="fr")
    client.force_login(patient.user, backend=BACKEND)

    page = client.post("/account/", _details("12 banana"))

    assert page.status_code == 200
    assert "Ce n&#x27;est pas un numéro de téléphone" in page.content.decode()
    api: APIClient = api_as(patient)
    body = api.patch("/api/v1/me", {"phone": "12 banana"}, format="json").json()
    assert body["fields"]["phone"] == ["Ce n'est pas un numéro de téléphone auquel nous pouvons envoyer des SMS."]


def test_the_details_page_shows_an_example_in_the_clinics_format(client: Client, patient: Patient) -> None:
    _visit_at(patient, make_clinic(country="FR", time_zone="Europe/Paris", jurisdiction="FR"))
    client.force_login(patient.user, backend=BACKEND)

    assert "06 12 34 56 78" in client.get("/account/").content.decode()


def test_the_booking_details_step_reads_the_booked_clinics_format(client: Client, patient: Patient) -> None:
    journey = make_journey_clinic(country="FR")
    sign_in(client, patient)
    hold(client, journey.plain, free_slots(journey.plain)[0])
    appointment = held(patient)

    response = client.post(
        f"/appointments/{appointment.pk}/details/",
        {"legal_name": "Pat Example", "date_of_birth": "1990-01-01", "phone": "06 12 34 56 78"},
    )

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.phone == "+33612345678"


def test_the_details_form_reads_national_numbers_only_with_a_region() -> None:
    posted = {"legal_name": "Pat Example", "date_of_birth": "1990-01-01", "phone": "07911 123456"}
    without = DetailsForm(posted)
    assert not without.is_valid()
    with_region = DetailsForm(posted)
    with_region.phone_region = "GB"  # type: ignore[attr-defined]
    assert with_region.is_valid(), with_region.errors
    assert with_region.cleaned_data["phone"] == "+447911123456"
