"""Searches: Slot answers exactly the booking engine's free slots, page by page with no gaps or
repeats, in a bounded number of queries; the catalogue searches filter; every answer is a valid
searchset; the CapabilityStatement lists what is supported."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.selectors import available_slots
from interop import ids
from tests.booking.factories import insert_appointment, local, make_practitioner
from tests.interop.factories import NOW, Site, fhir_get, walk
from tests.interop.profiles import problems

pytestmark = pytest.mark.django_db
UNTIL = NOW + timedelta(days=3)


def expected(site: Site) -> set[str]:
    found = set()
    for practitioner, treatment in ((site.ann, site.massage), (site.ann, site.needling), (site.ben, site.massage)):
        for offered in available_slots(
            appointment_type=treatment, practitioner=practitioner, start=NOW, end=UNTIL, now=NOW
        ):
            found.add(ids.slot_id(ids.SlotKey(practitioner.pk, treatment.pk, offered.start)))
    return found


def test_slot_search_pages_through_exactly_the_engines_free_slots(
    site: Site, reader: APIClient, patient: Patient
) -> None:
    insert_appointment(patient, site.ann, site.massage, local(site.clinic, NOW.date(), "11:00"))
    entries, pages = walk(reader, "Slot", start=["ge2030-03-04", "lt2030-03-07T07:00:00Z"], _count=37)
    found = [e["id"] for e in entries]
    assert len(found) == len(set(found))
    assert set(found) == expected(site)
    assert all(page["total"] == len(found) for page in pages)
    assert all(problems(page) == [] for page in pages)
    assert all(e["status"] == "free" for e in entries)


def test_a_previous_link_walks_back(site: Site, reader: APIClient) -> None:
    _entries, pages = walk(reader, "Slot", _count=200)
    second = [link for link in pages[1]["link"] if link["relation"] == "previous"]
    back = reader.get(second[0]["url"]).json()
    assert [e["resource"]["id"] for e in back["entry"]] == [e["resource"]["id"] for e in pages[0]["entry"]]


def test_slot_search_by_schedule_and_service_type(site: Site, reader: APIClient) -> None:
    schedule = ids.schedule_id(site.ben.pk, site.massage.pk)
    entries, _ = walk(reader, "Slot", schedule=f"Schedule/{schedule}", start="lt2030-03-05", _count=200)
    assert entries and {e["schedule"]["reference"] for e in entries} == {f"Schedule/{schedule}"}
    entries, _ = walk(reader, "Slot", **{"service-type": str(site.needling.pk), "start": "lt2030-03-05"})
    assert entries and {e["serviceType"][0]["coding"][0]["code"] for e in entries} == {str(site.needling.pk)}
    assert walk(reader, "Slot", status="busy")[0] == []


def test_slot_search_queries_do_not_grow_with_practitioners(site: Site, reader: APIClient) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert fhir_get(reader, "Slot", start="lt2030-03-06").status_code == 200
        return len(queries)

    count()  # the key's first call of the minute records when it was used
    before = count()
    for _ in range(3):
        make_practitioner(site.clinic, types=[site.massage, site.needling])
    assert count() == before


def test_a_patients_slot_search_names_a_schedule_or_treatment(site: Site, patient_api: APIClient) -> None:
    response = fhir_get(patient_api, "Slot")
    assert response.status_code == 400
    assert fhir_get(patient_api, "Slot", **{"service-type": str(site.massage.pk)}).status_code == 200


def test_catalogue_searches_filter(site: Site, elsewhere: Site, reader: APIClient) -> None:
    assert [e["id"] for e in walk(reader, "Location")[0]] == [str(site.clinic.pk)]
    assert [e["id"] for e in walk(reader, "Practitioner", name="ann")[0]] == [str(site.ann.pk)]
    assert [e["id"] for e in walk(reader, "Practitioner", _id=f"{site.ben.pk},{elsewhere.ben.pk}")[0]] == [
        str(site.ben.pk)
    ]
    services = walk(reader, "HealthcareService", location=f"Location/{site.clinic.pk}")[0]
    assert {e["id"] for e in services} == {str(site.massage.pk), str(site.needling.pk)}
    schedules = walk(reader, "Schedule", actor=f"Practitioner/{site.ann.pk}")[0]
    assert {e["id"] for e in schedules} == {f"{site.ann.pk}-{site.massage.pk}", f"{site.ann.pk}-{site.needling.pk}"}
    by_type = walk(reader, "Schedule", **{"service-type": str(site.massage.pk), "active": "true"})[0]
    assert {e["id"] for e in by_type} == {f"{site.ann.pk}-{site.massage.pk}", f"{site.ben.pk}-{site.massage.pk}"}
    for kind in ("Location", "Practitioner", "HealthcareService", "Schedule"):
        assert problems(fhir_get(reader, kind).json()) == []


def test_metadata_is_public_and_lists_the_resources_and_operations(stranger: APIClient, db: None) -> None:
    body = fhir_get(stranger, "metadata", _format="json").json()
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "4.0.1"
    assert problems(body) == []
    rest = body["rest"][0]
    kinds = {r["type"]: r for r in rest["resource"]}
    assert set(kinds) == {"Location", "Practitioner", "HealthcareService", "Schedule", "Slot", "Appointment"}
    assert {o["name"] for o in kinds["Appointment"]["operation"]} == {"find", "hold", "book"}
    assert {o["name"] for o in rest["operation"]} == {"bulk-publish"}
    assert {"patient", "date", "_id"} <= {p["name"] for p in kinds["Appointment"]["searchParam"]}
