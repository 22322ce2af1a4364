"""SMART Scheduling Links: the $bulk-publish manifest, its NDJSON files (every line a valid R4B
resource with what the specification asks), regenerated after a change of free time, and deep
links that open the times page on the slot they name."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot

from booking import selectors, services
from booking.models import AppointmentType, Clinic, Practitioner
from booking.views.common import slot_code
from interop import bulk, ids, publishing
from interop.models import PublishedFile
from interop.tasks import publish
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db
SITE = "https://acus.example"
MODELS: dict[str, Any] = {"Location": Location, "Schedule": Schedule, "Slot": Slot}


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic(name="Harbour Physiotherapy", jurisdiction="US-FL", address="1 Quay St\nBristol BS1 4DJ")


@pytest.fixture
def kind(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=45, name="Assessment")


@pytest.fixture
def alex(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, types=[kind], name="Alex Morgan")


def _get(client: Client, url: str, **headers: str) -> Any:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path, headers=headers)


def _lines(client: Client, url: str) -> list[dict[str, Any]]:
    response = _get(client, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    return [json.loads(line) for line in response.content.decode().splitlines()]


def _files(client: Client) -> dict[str, str]:
    return {item["type"]: item["url"] for item in client.get("/fhir/R4/$bulk-publish").json()["output"]}


def test_the_manifest_lists_one_file_of_each_kind_per_clinic_openly(
    client: Client, clinic: Clinic, alex: Practitioner
) -> None:
    response = client.get("/fhir/R4/$bulk-publish")

    body = response.json()
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=300"
    assert body["request"] == f"{SITE}/fhir/R4/$bulk-publish"
    assert body["error"] == []
    assert body["transactionTime"].endswith("Z")
    assert [(o["type"], o["extension"]) for o in body["output"]] == [
        ("Location", {"state": ["FL"]}),
        ("Schedule", {"state": ["FL"]}),
        ("Slot", {"state": ["FL"]}),
    ]
    assert body["output"][2]["url"] == f"{SITE}/fhir/R4/$bulk-publish/{clinic.pk}/slot.ndjson"


def test_every_line_of_every_file_validates_and_carries_what_the_specification_asks(
    client: Client, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    files = {name: _lines(client, url) for name, url in _files(client).items()}

    for name, lines in files.items():
        for line in lines:
            MODELS[name].model_validate(line)
            assert line["resourceType"] == name
    (place,) = files["Location"]
    assert place["id"] == str(clinic.pk) and place["name"] == "Harbour Physiotherapy"
    assert {"system": "url", "value": f"{SITE}/book/"} in place["telecom"]
    assert place["address"]["line"] == ["1 Quay St", "Bristol BS1 4DJ"] and place["identifier"]
    (schedule,) = files["Schedule"]
    assert schedule["id"] == ids.schedule_id(alex.pk, kind.pk)
    assert {"reference": f"Location/{clinic.pk}", "display": clinic.name} in schedule["actor"]
    slots = files["Slot"]
    assert len(slots) > 20
    assert {s["status"] for s in slots} == {"free"}
    assert {s["schedule"]["reference"] for s in slots} == {f"Schedule/{schedule['id']}"}
    first = slots[0]
    extensions = {e["url"]: e for e in first["extension"]}
    assert extensions[bulk.BOOKING_PHONE]["valueString"] == clinic.phone
    assert extensions[bulk.DEEP_LINK]["valueUrl"].startswith(f"{SITE}/book/{kind.pk}/times/?practitioner={alex.pk}")


def test_the_slot_file_stops_at_28_days_even_when_the_clinic_books_further_ahead(
    client: Client, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    assert clinic.max_advance_days == 60
    slots = _lines(client, _files(client)["Slot"])

    first = PublishedFile.objects.get(clinic=clinic, kind="Slot").generated_at
    last = max(ids.parse_slot_id(s["id"]).start for s in slots)  # type: ignore[union-attr]
    cap = first + bulk.HORIZON_CAP
    assert last < cap

    def offered(start: datetime, end: datetime) -> list[selectors.OfferedSlot]:
        return selectors.available_slots(appointment_type=kind, practitioner=alex, start=start, end=end, now=first)

    # The file runs to the engine's last start before the cap (on a weekend that can be days
    # before it: alex works Monday to Friday), and the clinic itself books on past the cap.
    assert offered(last + timedelta(minutes=1), cap) == []
    assert offered(cap, cap + timedelta(days=7))


def test_a_booking_takes_its_slot_out_of_the_file_at_the_next_regeneration(
    client: Client, clinic: Clinic, kind: AppointmentType, alex: Practitioner, django_capture_on_commit_callbacks: Any
) -> None:
    url = _files(client)["Slot"]
    before = _get(client, url)
    taken = json.loads(before.content.decode().splitlines()[0])
    key = ids.parse_slot_id(taken["id"])
    assert key is not None
    assert publishing.publish_due() == 0  # nothing changed yet

    with django_capture_on_commit_callbacks(execute=True):
        services.hold_appointment(make_patient(), appointment_type=kind, start=key.start, practitioner=alex)
    assert _get(client, url, **{"If-None-Match": before["ETag"]}).status_code == 304  # not regenerated yet
    assert publish() == 1

    after = _get(client, url)
    assert taken["id"] not in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert _get(client, url, **{"If-None-Match": after["ETag"]}).status_code == 304


def test_the_deep_link_opens_the_times_page_on_that_day_with_that_time_picked(
    client: Client, kind: AppointmentType, alex: Practitioner
) -> None:
    slots = _lines(client, _files(client)["Slot"])
    chosen = slots[len(slots) // 2]
    link = next(e["valueUrl"] for e in chosen["extension"] if e["url"] == bulk.DEEP_LINK)
    code = slot_code(ids.parse_slot_id(chosen["id"]).start)  # type: ignore[union-attr]

    page = _get(client, link)

    html = page.content.decode()
    assert page.status_code == 200
    assert (
        f'class="time-button time-button--chosen" type="submit" name="start" value="{code}" aria-current="true"' in html
    )
    assert html.count("time-button--chosen") == 1
    assert "You chose" in html and f'name="start" value="{code}" aria-describedby="chosen-time"' in html


def test_a_deep_link_to_a_time_taken_since_says_so_and_shows_the_day(
    client: Client, kind: AppointmentType, alex: Practitioner
) -> None:
    slots = _lines(client, _files(client)["Slot"])
    link = next(e["valueUrl"] for e in slots[0]["extension"] if e["url"] == bulk.DEEP_LINK)
    start = ids.parse_slot_id(slots[0]["id"]).start  # type: ignore[union-attr]
    services.hold_appointment(make_patient(), appointment_type=kind, start=start, practitioner=alex)

    html = _get(client, link).content.decode()

    assert "no longer free" in html and "time-button--chosen" not in html


def test_time_off_marks_the_files_of_the_practitioner_s_clinics_changed(
    client: Client, clinic: Clinic, alex: Practitioner, django_capture_on_commit_callbacks: Any
) -> None:
    from workspace.services.schedule import add_time_off

    slots = _lines(client, _files(client)["Slot"])
    start = ids.parse_slot_id(slots[0]["id"]).start  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        add_time_off(alex, start=start, end=start + timedelta(hours=1), actor=alex.user)

    assert publishing.publish_due() == 1
    assert slots[0]["id"] not in _get(client, _files(client)["Slot"]).content.decode()


def test_an_unknown_file_is_an_operation_outcome_404(client: Client, clinic: Clinic, alex: Practitioner) -> None:
    missing = client.get(f"/fhir/R4/$bulk-publish/{clinic.pk + 1000}/slot.ndjson")
    wrong = client.get(f"/fhir/R4/$bulk-publish/{clinic.pk}/patient.ndjson")

    assert missing.status_code == wrong.status_code == 404
    assert missing.json()["resourceType"] == "OperationOutcome"
