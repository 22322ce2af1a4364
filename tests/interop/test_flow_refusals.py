"""What the operations refuse, each as an OperationOutcome (flow_world.Fhir checks every one):
a race for one time, a key without the scope, another clinic's or a forged proposal, a missing
or malformed parameter, and a cancellation inside the clinic's window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from interop import ids
from tests.accounts.sign_in import api_as
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.interop.flow_world import Fhir, only_appointment, parameters, patient_resource, reference, token_of, window
from tests.races import race
from tests.resources import need_postgres


def _proposal(client: Fhir, kind: AppointmentType, days: int = 4) -> str:
    status, found = client.get("Appointment/$find", **window(days=days), **{"service-type": kind.pk})
    assert status == 200, found
    return str(found["entry"][0]["resource"]["id"])


def _code(answer: dict[str, object]) -> str:
    issue = answer["issue"][0]  # type: ignore[index]
    return str(issue["details"]["coding"][0]["code"])


@pytest.mark.postgres
def test_two_clients_racing_for_one_proposal_get_one_hold_and_one_conflict(
    fhir_url: str, patient: Patient, other_patient: Patient, massage: AppointmentType, pin: Practitioner
) -> None:
    # SQLite serialises writers and its connections are per thread: the race is PostgreSQL's
    # (required, never skipped, in CI).
    need_postgres()
    first, second = Fhir(fhir_url, token_of(patient)), Fhir(fhir_url, token_of(other_patient))
    body = parameters(reference(_proposal(first, massage)))
    answers = race([lambda: first.post("Appointment/$hold", body), lambda: second.post("Appointment/$hold", body)])
    statuses = sorted(a[0] for a in answers if isinstance(a, tuple))
    assert statuses == [200, 409], answers
    refused = next(a[1] for a in answers if isinstance(a, tuple) and a[0] == 409)
    assert _code(refused) == "slot_unavailable"
    assert Appointment.objects.count() == 1


def test_a_key_without_appointments_book_may_find_but_not_hold(
    directory: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    proposal = _proposal(directory, massage)
    body = parameters(reference(proposal), patient_resource("robin@example.org", "1984-02-29"))
    status, refused = directory.post("Appointment/$hold", body)
    assert status == 403 and refused["issue"][0]["code"] == "forbidden"
    assert directory.post("Appointment/$book", body)[0] == 403
    assert not Appointment.objects.exists()


def test_another_clinics_proposal_is_unknown_to_a_key(portal: Fhir, fhir_url: str, patient_fhir: Fhir) -> None:
    elsewhere = make_clinic(name="Elsewhere")
    kind = make_type(elsewhere, minutes=30)
    make_practitioner(elsewhere, weekdays=range(7))
    proposal = _proposal(patient_fhir, kind)  # a patient may look anywhere
    status, found = portal.get("Appointment/$find", **window(days=4), **{"service-type": kind.pk})
    assert (status, found["total"]) == (200, 0)  # a key sees its own clinic only
    body = parameters(reference(proposal), patient_resource("robin@example.org", "1984-02-29"))
    status, refused = portal.post("Appointment/$hold", body)
    assert status == 404 and _code(refused) == "not_found"
    assert not Appointment.objects.exists()


def test_a_forged_proposal_is_unknown(patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner) -> None:
    genuine = _proposal(patient_fhir, massage)
    key = ids.parse_proposed_id(genuine)
    assert key is not None
    earlier = ids.SlotKey(key.practitioner_id, key.appointment_type_id, key.start - timedelta(minutes=30))
    forged = "p" + ids.proposed_id(earlier)[1:].rsplit("-", 1)[0] + "-" + genuine.rsplit("-", 1)[1]
    for bad in (forged, "p1-1-1-00000000000000000000"):
        status, refused = patient_fhir.post("Appointment/$hold", parameters(reference(bad)))
        assert status == 404 and _code(refused) == "not_found", refused
    assert not Appointment.objects.exists()


def test_missing_or_malformed_parameters_are_400s_naming_the_parameter(
    patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    status, refused = patient_fhir.get("Appointment/$find", start=window()["start"])
    assert status == 400 and refused["issue"][0]["expression"] == ["end"]
    status, refused = patient_fhir.get("Appointment/$find", start="tomorrow", end=window()["end"])
    assert status == 400 and refused["issue"][0]["expression"] == ["start"]
    status, refused = patient_fhir.get("Appointment/$find", **window(), _count="0")
    assert status == 400 and refused["issue"][0]["expression"] == ["_count"]
    status, refused = patient_fhir.post("Appointment/$hold", parameters())
    assert status == 400 and refused["issue"][0]["expression"] == ["appointment-reference"]
    status, refused = patient_fhir.post("Appointment/$hold", {"resourceType": "Appointment"})
    assert status == 400 and refused["issue"][0]["expression"] == ["Parameters"]
    status, refused = patient_fhir.post(
        "Appointment/$hold", {"resourceType": "Parameters", "parameter": [{"name": "start", "valueDateTime": "x"}]}
    )
    assert status == 400 and refused["issue"][0]["expression"][0].startswith("Parameters.parameter")
    status, refused = patient_fhir.post(
        "Appointment/$hold", parameters(reference(_proposal(patient_fhir, massage))), **{"Idempotency-Key": " "}
    )
    assert status == 400 and refused["issue"][0]["expression"] == ["Idempotency-Key"]


def test_a_key_must_name_the_patient(portal: Fhir, massage: AppointmentType, pin: Practitioner) -> None:
    status, refused = portal.post("Appointment/$hold", parameters(reference(_proposal(portal, massage))))
    assert status == 400 and refused["issue"][0]["expression"] == ["patient-resource"]
    no_birthday = patient_resource("robin@example.org", "1984")
    status, refused = portal.post("Appointment/$hold", parameters(reference(_proposal(portal, massage)), no_birthday))
    assert status == 400 and refused["issue"][0]["expression"] == ["patient-resource.birthDate"]


def test_cancelling_inside_the_clinics_window_is_refused_with_the_clinics_phone(
    patient_fhir: Fhir, clinic: Clinic, massage: AppointmentType, pin: Practitioner
) -> None:
    Clinic.objects.filter(pk=clinic.pk).update(cancellation_window_hours=24 * 7)
    _, booked = patient_fhir.post("Appointment/$book", parameters(reference(_proposal(patient_fhir, massage))))
    appointment = only_appointment(booked)
    status, refused = patient_fhir.put(f"Appointment/{appointment['id']}", {**appointment, "status": "cancelled"})
    assert status == 409 and _code(refused) == "too_late_to_change"
    assert clinic.phone in refused["issue"][0]["diagnostics"]
    assert Appointment.objects.get(pk=appointment["id"]).status == Appointment.Status.CONFIRMED
    # $book with the visit and status cancelled is the same request (ITI-117), refused alike.
    cancel = parameters(("appointment-resource", {"resource": {**appointment, "status": "cancelled"}}))
    assert patient_fhir.post("Appointment/$book", cancel)[0] == 409


def test_book_with_an_existing_visit_and_status_cancelled_cancels_it(
    patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    _, booked = patient_fhir.post("Appointment/$book", parameters(reference(_proposal(patient_fhir, massage))))
    appointment = only_appointment(booked)
    cancel = parameters(("appointment-resource", {"resource": {**appointment, "status": "cancelled"}}))
    status, answer = patient_fhir.post("Appointment/$book", cancel)
    assert status == 200, answer
    assert only_appointment(answer)["status"] == "cancelled"
    assert Appointment.objects.get(pk=appointment["id"]).status == Appointment.Status.CANCELLED


def test_another_patients_visit_is_not_found(
    fhir_url: str, other_patient: Patient, patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    _, booked = patient_fhir.post("Appointment/$book", parameters(reference(_proposal(patient_fhir, massage))))
    appointment = only_appointment(booked)
    other = Fhir(fhir_url, token_of(other_patient))
    assert other.get(f"Appointment/{appointment['id']}")[0] == 404
    assert other.put(f"Appointment/{appointment['id']}", {**appointment, "status": "cancelled"})[0] == 404
    assert other.post("Appointment/$book", parameters(reference(appointment["id"])))[0] == 404
    assert timezone.now() < Appointment.objects.get(pk=appointment["id"]).start


def test_a_patients_holds_count_with_their_holds_on_the_web(
    throttle_rates: Any, patient: Patient, patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner
) -> None:
    throttle_rates(appointment_hold="1/hour")
    rest = api_as(patient)
    start = ids.parse_proposed_id(_proposal(patient_fhir, massage, 5))
    assert start is not None
    held = rest.post(
        "/api/v1/appointments",
        {"appointment_type": massage.pk, "start": start.start.isoformat(), "practitioner": pin.pk},
        format="json",
    )
    assert held.status_code == 201, held.json()
    status, refused = patient_fhir.post("Appointment/$hold", parameters(reference(_proposal(patient_fhir, massage))))
    assert status == 429 and refused["issue"][0]["code"] == "throttled"
    assert Appointment.objects.count() == 1


def test_an_update_only_cancels_or_moves(patient_fhir: Fhir, massage: AppointmentType, pin: Practitioner) -> None:
    _, held = patient_fhir.post("Appointment/$hold", parameters(reference(_proposal(patient_fhir, massage))))
    appointment = only_appointment(held)
    status, refused = patient_fhir.put(f"Appointment/{appointment['id']}", {**appointment, "status": "booked"})
    assert status == 409 and _code(refused) == "unsupported_change"
    assert Appointment.objects.get(pk=appointment["id"]).status == Appointment.Status.HELD
    status, same = patient_fhir.put(f"Appointment/{appointment['id']}", appointment)
    assert (status, same["status"]) == (200, "pending")
