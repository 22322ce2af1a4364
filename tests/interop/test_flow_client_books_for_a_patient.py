"""A client key books on behalf of a patient it names by email and date of birth, over HTTP."""

from __future__ import annotations

from datetime import date

from accounts.models import AccountEvent, Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from interop.keys import issue_key
from interop.models import ClientCall, Scope
from tests.interop.flow_world import Fhir, only_appointment, parameters, patient_resource, reference, window

Status = Appointment.Status


def _first_proposal(client: Fhir, kind: AppointmentType, days: int = 4) -> dict[str, object]:
    status, found = client.get("Appointment/$find", **window(days=days), **{"service-type": kind.pk})
    assert status == 200, found
    resource: dict[str, object] = found["entry"][0]["resource"]
    return resource


def test_a_key_books_for_a_new_patient_then_reads_back_and_cancels(
    portal: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    proposal = _first_proposal(portal, massage)
    body = parameters(reference(str(proposal["id"])), patient_resource("robin@example.org", "1984-02-29"))
    status, booked = portal.post("Appointment/$book", body)
    assert status == 200, booked
    appointment = only_appointment(booked)
    assert appointment["status"] == "booked"
    patient = Patient.objects.get(user__email="robin@example.org")
    assert (patient.date_of_birth, patient.legal_name) == (date(1984, 2, 29), "Robin Portal")
    created = AccountEvent.objects.get(user=patient.user, action=AccountEvent.Action.PATIENT_CREATED)
    assert created.data["client_key"] == ClientCall.objects.filter(client_key__isnull=False).first().client_key_id  # type: ignore[union-attr]
    assert {"reference": f"Patient/{patient.pk}"} in [p["actor"] for p in appointment["participant"]]

    status, read = portal.get(f"Appointment/{appointment['id']}")
    assert (status, read["status"]) == (200, "booked")
    status, cancelled = portal.put(f"Appointment/{appointment['id']}", {**read, "status": "cancelled"})
    assert (status, cancelled["status"]) == (200, "cancelled"), cancelled
    row = Appointment.objects.get(pk=appointment["id"])
    assert row.status == Status.CANCELLED and row.cancel_reason == "cancelled through Portal"


def test_a_key_finds_an_existing_patient_only_by_email_and_birth_date(
    portal: Fhir, patient: Patient, massage: AppointmentType, pin: Practitioner
) -> None:
    proposal = _first_proposal(portal, massage)
    wrong = parameters(reference(str(proposal["id"])), patient_resource(patient.user.email, "1971-01-01"))
    status, refused = portal.post("Appointment/$hold", wrong)
    assert status == 422 and refused["issue"][0]["details"]["coding"][0]["code"] == "patient_mismatch"
    # The words say nothing of whether the address has an account.
    assert "exist" not in refused["issue"][0]["diagnostics"]
    assert not Appointment.objects.exists()

    right = parameters(reference(str(proposal["id"])), patient_resource(patient.user.email.upper(), "1990-01-01"))
    status, held = portal.post("Appointment/$hold", right)
    assert status == 200, held
    assert Appointment.objects.get().patient == patient
    assert Patient.objects.count() == 1


def test_the_same_key_with_the_same_body_answers_the_first_appointment(
    portal: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    proposal = _first_proposal(portal, massage)
    body = parameters(reference(str(proposal["id"])), patient_resource("robin@example.org", "1984-02-29"))
    first = portal.post("Appointment/$hold", body, **{"Idempotency-Key": "retry-1"})
    again = portal.post("Appointment/$hold", body, **{"Idempotency-Key": "retry-1"})
    assert first[0] == again[0] == 200
    assert only_appointment(first[1])["id"] == only_appointment(again[1])["id"]
    assert Appointment.objects.count() == 1

    other = _first_proposal(portal, massage, days=5)
    changed = parameters(reference(str(other["id"])), patient_resource("robin@example.org", "1984-02-29"))
    status, refused = portal.post("Appointment/$hold", changed, **{"Idempotency-Key": "retry-1"})
    assert status == 422 and refused["issue"][0]["details"]["coding"][0]["code"] == "idempotency_key_reused"
    assert Appointment.objects.count() == 1


def test_a_key_sees_only_the_visits_it_booked(
    portal: Fhir, fhir_url: str, clinic: Clinic, patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    _, own = patient_fhir.post(
        "Appointment/$book", parameters(reference(str(_first_proposal(patient_fhir, massage)["id"])))
    )
    web_booked = only_appointment(own)["id"]
    assert portal.get(f"Appointment/{web_booked}")[0] == 404

    _, key = issue_key(clinic=clinic, name="Another portal", scopes=[Scope.SLOTS_READ, Scope.BOOK], actor=None)
    other = Fhir(fhir_url, f"Bearer {key}")
    proposal = _first_proposal(portal, massage, days=5)
    _, booked = portal.post(
        "Appointment/$book",
        parameters(reference(str(proposal["id"])), patient_resource("kim@example.org", "1990-05-05")),
    )
    mine = only_appointment(booked)
    assert other.get(f"Appointment/{mine['id']}")[0] == 404
    assert other.put(f"Appointment/{mine['id']}", {**mine, "status": "cancelled"})[0] == 404
    assert Appointment.objects.get(pk=mine["id"]).status == Status.CONFIRMED
