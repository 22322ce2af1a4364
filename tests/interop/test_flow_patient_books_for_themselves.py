"""ITI-115/116/117 with a patient's own token, over HTTP: find, hold, book, read back, cancel."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Practitioner
from interop.models import ClientCall
from tests.interop.flow_world import Fhir, only_appointment, parameters, reference, window

Status = Appointment.Status


def test_a_patient_finds_holds_books_reads_back_and_cancels(
    patient_fhir: Fhir, patient: Patient, massage: AppointmentType, pin: Practitioner
) -> None:
    status, found = patient_fhir.get(
        "Appointment/$find", **window(days=4), **{"service-type": massage.pk, "practitioner": f"Practitioner/{pin.pk}"}
    )
    assert status == 200, found
    Bundle.model_validate(found)
    assert found["type"] == "searchset" and found["total"] == len(found["entry"]) > 0
    first = found["entry"][0]["resource"]
    assert first["status"] == "proposed" and first["id"].startswith("p")
    actors = {p["actor"]["reference"] for p in first["participant"]}
    assert actors == {f"Practitioner/{pin.pk}", f"Location/{massage.clinic_id}"}

    status, held = patient_fhir.post("Appointment/$hold", parameters(reference(first["id"])))
    assert status == 200, held
    appointment = only_appointment(held)
    assert appointment["status"] == "pending" and appointment["start"] == first["start"]
    assert {p["status"] for p in appointment["participant"]} == {"tentative"}
    row = Appointment.objects.get(pk=appointment["id"])
    assert (row.status, row.patient_id, row.practitioner_id) == (Status.HELD, patient.pk, pin.pk)

    status, booked = patient_fhir.post("Appointment/$book", parameters(reference(appointment["id"])))
    assert status == 200, booked
    assert only_appointment(booked)["status"] == "booked"

    status, read = patient_fhir.get(f"Appointment/{row.pk}")
    assert status == 200 and read["status"] == "booked"
    assert {"reference": f"Patient/{patient.pk}"} in [p["actor"] for p in read["participant"]]

    status, cancelled = patient_fhir.put(f"Appointment/{row.pk}", {**read, "status": "cancelled"})
    assert status == 200, cancelled
    assert cancelled["status"] == "cancelled"
    row.refresh_from_db()
    assert row.status == Status.CANCELLED and row.cancelled_by == patient.user
    calls = list(ClientCall.objects.filter(user=patient.user).order_by("pk").values_list("interaction", "status"))
    assert calls == [
        ("Appointment/$find", 200),
        ("Appointment/$hold", 200),
        ("Appointment/$book", 200),
        ("Appointment read", 200),
        ("Appointment update", 200),
    ]


def test_find_takes_a_parameters_resource_too(patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner) -> None:
    times = window(days=4)
    body = parameters(
        ("start", {"valueDateTime": times["start"]}),
        ("end", {"valueDateTime": times["end"]}),
        ("visit-type", {"valueString": f"HealthcareService/{massage.pk}"}),
        ("location-reference", {"valueReference": {"reference": f"Location/{massage.clinic_id}"}}),
    )
    status, found = patient_fhir.post("Appointment/$find", body)
    assert status == 200, found
    assert found["total"] > 0
    assert {e["resource"]["serviceType"][0]["coding"][0]["code"] for e in found["entry"]} == {str(massage.pk)}


def test_a_move_sent_as_a_changed_start_reschedules_the_visit(
    patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    _, found = patient_fhir.get("Appointment/$find", **window(days=5), **{"service-type": massage.pk})
    first, later = found["entry"][0]["resource"], found["entry"][3]["resource"]
    _, booked = patient_fhir.post("Appointment/$book", parameters(reference(first["id"])))
    appointment = only_appointment(booked)
    assert appointment["status"] == "booked"

    moved = {**appointment, "start": later["start"], "end": later["end"]}
    status, answer = patient_fhir.put(f"Appointment/{appointment['id']}", moved)
    assert status == 200, answer
    assert (answer["status"], answer["start"]) == ("booked", later["start"])
    row = Appointment.objects.get(pk=appointment["id"])
    assert row.version == 2


def test_the_capability_statement_lists_the_operations_and_the_update(fhir_url: str) -> None:
    status, found = Fhir(fhir_url).get("metadata")
    assert status == 200
    appointment = next(r for r in found["rest"][0]["resource"] if r["type"] == "Appointment")
    assert {"find", "hold", "book"} <= {o["name"] for o in appointment["operation"]}
    assert "update" in {i["code"] for i in appointment["interaction"]}
