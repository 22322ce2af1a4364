"""Reads: each catalogue resource and an appointment, valid R4B and in IHE's shape; another
clinic's rows and unknown ids are 404 OperationOutcomes; a patient reads any clinic's catalogue."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment
from interop import ids
from tests.booking.factories import insert_appointment, local
from tests.interop.factories import FHIR_JSON, NOW, Site, fhir_get
from tests.interop.profiles import problems

pytestmark = pytest.mark.django_db


def catalogue(site: Site) -> dict[str, str]:
    return {
        "Location": str(site.clinic.pk),
        "Practitioner": str(site.ann.pk),
        "HealthcareService": str(site.needling.pk),
        "Schedule": ids.schedule_id(site.ann.pk, site.needling.pk),
        "Slot": ids.slot_id(ids.SlotKey(site.ann.pk, site.massage.pk, NOW.replace(hour=9))),
    }


def test_every_catalogue_resource_reads_as_valid_fhir(site: Site, reader: APIClient) -> None:
    for kind, pk in catalogue(site).items():
        response = fhir_get(reader, f"{kind}/{pk}")
        assert response.status_code == 200, (kind, response.content)
        assert response["Content-Type"].startswith(FHIR_JSON)
        body = response.json()
        assert (body["resourceType"], body["id"]) == (kind, pk)
        assert problems(body) == []


def test_a_schedule_names_its_practitioner_and_clinic(site: Site, reader: APIClient) -> None:
    body = fhir_get(reader, f"Schedule/{site.ann.pk}-{site.massage.pk}").json()
    assert [a["reference"] for a in body["actor"]] == [f"Practitioner/{site.ann.pk}", f"Location/{site.clinic.pk}"]
    assert body["serviceType"][0]["coding"][0]["code"] == str(site.massage.pk)


def test_another_clinics_rows_are_not_found_for_a_key(site: Site, elsewhere: Site, reader: APIClient) -> None:
    for kind, pk in catalogue(elsewhere).items():
        response = fhir_get(reader, f"{kind}/{pk}")
        assert response.status_code == 404, kind
        assert response.json()["resourceType"] == "OperationOutcome"


def test_a_schedule_the_practitioner_does_not_offer_is_not_found(site: Site, reader: APIClient) -> None:
    assert fhir_get(reader, f"Schedule/{site.ben.pk}-{site.needling.pk}").status_code == 404


def test_a_slot_that_is_not_free_is_not_found(site: Site, reader: APIClient, patient: Patient) -> None:
    start = local(site.clinic, NOW.date(), "09:00")
    insert_appointment(patient, site.ann, site.massage, start)
    assert fhir_get(reader, f"Slot/{ids.slot_id(ids.SlotKey(site.ann.pk, site.massage.pk, start))}").status_code == 404


def test_a_patient_reads_any_clinics_catalogue(site: Site, elsewhere: Site, patient_api: APIClient) -> None:
    for world in (site, elsewhere):
        for kind, pk in catalogue(world).items():
            assert fhir_get(patient_api, f"{kind}/{pk}").status_code == 200, kind


@pytest.mark.parametrize("pk", ["0", "999999", "abc", "1-2-3-4", "-1"])
def test_unknown_ids_are_not_found(site: Site, reader: APIClient, pk: str) -> None:
    for kind in catalogue(site):
        response = fhir_get(reader, f"{kind}/{pk}")
        assert response.status_code == 404, (kind, pk)
        assert response.json()["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("status", list(Appointment.Status))
def test_a_patient_reads_their_own_appointment_in_each_status(
    site: Site, patient: Patient, patient_api: APIClient, status: str
) -> None:
    appt = insert_appointment(patient, site.ann, site.massage, local(site.clinic, NOW.date(), "10:00"), status=status)
    body = fhir_get(patient_api, f"Appointment/{appt.pk}").json()
    assert problems(body) == []
    assert body["participant"][0]["actor"]["reference"] == f"Patient/{patient.pk}"


def test_another_patients_appointment_is_not_found(
    site: Site, patient: Patient, other_patient: Patient, patient_api: APIClient
) -> None:
    theirs = insert_appointment(other_patient, site.ann, site.massage, local(site.clinic, NOW.date(), "10:00"))
    assert fhir_get(patient_api, f"Appointment/{theirs.pk}").status_code == 404
