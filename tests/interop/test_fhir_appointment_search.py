"""ITI-118: a patient finds their own appointments; a key with appointments:book finds those it
booked (the ClientCall audit) and others of the patients it booked for, at its own clinic."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment
from interop.models import ClientCall, Scope
from tests.booking.factories import insert_appointment, local
from tests.interop.factories import NOW, Site, key_client, make_key, walk
from tests.interop.profiles import problems

pytestmark = pytest.mark.django_db


def at(site: Site, patient: Patient, hh_mm: str, **fields: Any) -> Appointment:
    return insert_appointment(patient, site.ann, site.massage, local(site.clinic, NOW.date(), hh_mm), **fields)


def test_a_patient_finds_only_their_own(
    site: Site, patient: Patient, other_patient: Patient, patient_api: APIClient
) -> None:
    mine = at(site, patient, "09:00")
    at(site, other_patient, "11:00")
    entries, pages = walk(patient_api, "Appointment", date=["ge2030-03-04", "lt2030-03-05"])
    assert [e["id"] for e in entries] == [str(mine.pk)]
    assert problems(pages[0]) == []
    assert walk(patient_api, "Appointment", patient=f"Patient/{other_patient.pk}")[0] == []


def test_status_filters_in_fhirs_words(site: Site, patient: Patient, patient_api: APIClient) -> None:
    booked = at(site, patient, "09:00")
    at(site, patient, "11:00", status=Appointment.Status.CANCELLED)
    assert [e["id"] for e in walk(patient_api, "Appointment", status="booked")[0]] == [str(booked.pk)]


def test_a_key_finds_what_it_booked_and_its_patients_others(
    site: Site, elsewhere: Site, patient: Patient, other_patient: Patient
) -> None:
    row, presented = make_key(site.clinic, Scope.BOOK)
    through_key = at(site, patient, "09:00")
    same_patient = at(site, patient, "13:00")
    at(site, other_patient, "11:00")
    at(elsewhere, patient, "15:00")
    ClientCall.objects.create(
        client_key=row, method="POST", interaction="Appointment/$book", resource_id=str(through_key.pk), status=200
    )
    found = walk(key_client(presented), "Appointment")[0]
    assert [e["id"] for e in found] == [str(through_key.pk), str(same_patient.pk)]
    assert found[0]["participant"][0]["actor"]["reference"] == f"Patient/{patient.pk}"


def test_a_key_finds_nothing_it_did_not_book(site: Site, patient: Patient) -> None:
    at(site, patient, "09:00")
    assert walk(key_client(make_key(site.clinic, Scope.BOOK)[1]), "Appointment")[0] == []


def test_an_appointment_is_found_by_its_identifier_system_and_value(
    site: Site, patient: Patient, patient_api: APIClient
) -> None:
    mine = at(site, patient, "09:00")
    at(site, patient, "11:00")
    read = patient_api.get(f"/fhir/R4/Appointment/{mine.pk}").json()
    identifier = read["identifier"][0]

    found = walk(patient_api, "Appointment", identifier=f"{identifier['system']}|{identifier['value']}")[0]

    assert [e["id"] for e in found] == [str(mine.pk)]
    assert walk(patient_api, "Appointment", identifier=f"https://elsewhere.example|{mine.pk}")[0] == []
    refused = patient_api.get("/fhir/R4/Appointment", {"identifier": str(mine.pk)})
    assert refused.status_code == 400
    assert refused.json()["issue"][0]["expression"] == ["identifier"]
