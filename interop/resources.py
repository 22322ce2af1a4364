"""Acus's scheduling rows as FHIR R4B resources (plain dicts), for the FHIR endpoint.

Builders only: no queries of their own beyond the rows they are handed (load an appointment with
its appointment_type, a schedule's practitioner and treatment, before calling). The shapes follow
the IHE ITI Scheduling profiles (ihe-sched-appt: start, end, participant.actor, requestedPeriod
are required; ihe-sched-avail-bundle: a searchset with total) and SMART Scheduling Links (a
Location with address and telecom, a Schedule naming its actors, free Slots). The tests validate
every one with fhir.resources' R4B models and check the profiles' required elements and code
lists, which the package does not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from interop import ids
from interop.ids import SlotKey

Resource = dict[str, Any]

BASE = "https://acus.invalid/fhir"
APPOINTMENT_PROFILE = "https://profiles.ihe.net/ITI/Scheduling/StructureDefinition/ihe-sched-appt"


def appointment_identifier_system() -> str:
    """The system of an Acus appointment's business identifier (its number at this Acus site):
    what ITI-118's `identifier` search takes, with the value, as `system|value`."""
    return f"{settings.SITE_URL}/appointments"


BUNDLE_PROFILE = "https://profiles.ihe.net/ITI/Scheduling/StructureDefinition/ihe-sched-avail-bundle"
# A treatment is a HealthcareService; its code (the appointment type's pk) is what `service-type`
# searches match, with or without this system.
SERVICE_SYSTEM = f"{BASE}/CodeSystem/treatment"

_S = Appointment.Status
# FHIR's appointmentstatus for each Acus status (the brief's agreed mapping).
APPOINTMENT_STATUS: Mapping[str, str] = {
    _S.HELD: "pending",
    _S.PENDING_REVIEW: "pending",
    _S.CONFIRMED: "booked",
    _S.DECLINED: "cancelled",
    _S.CANCELLED: "cancelled",
    _S.COMPLETED: "fulfilled",
    _S.NO_SHOW: "noshow",
}


def instant(moment: datetime) -> str:
    """A FHIR instant in UTC, to the second: "2025-03-04T09:30:00Z"."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def ref(kind: str, pk: object, display: str | None = None) -> dict[str, str]:
    found = {"reference": f"{kind}/{pk}"}
    if display:
        found["display"] = display
    return found


def service_type(appointment_type: AppointmentType) -> dict[str, Any]:
    """The treatment as a CodeableConcept, named in the reader's language."""
    name = appointment_type.shown_name
    return {"coding": [{"system": SERVICE_SYSTEM, "code": str(appointment_type.pk), "display": name}], "text": name}


def location(clinic: Clinic) -> Resource:
    found: Resource = {"resourceType": "Location", "id": str(clinic.pk), "status": "active", "name": clinic.name}
    telecom = [
        {"system": system, "value": value, "use": "work"}
        for system, value in (("phone", clinic.phone), ("email", clinic.email))
        if value
    ]
    if telecom:
        found["telecom"] = telecom
    lines = [line.strip() for line in clinic.address.splitlines() if line.strip()]
    address: dict[str, Any] = {"use": "work", "country": clinic.country}
    if lines:
        address["text"] = ", ".join(lines)
        address["line"] = lines
    found["address"] = address
    found["alias"] = [clinic.slug]
    return found


def practitioner(p: Practitioner) -> Resource:
    return {
        "resourceType": "Practitioner",
        "id": str(p.pk),
        "active": p.active,
        "name": [{"text": p.display_name}],
    }


def healthcare_service(appointment_type: AppointmentType) -> Resource:
    found: Resource = {
        "resourceType": "HealthcareService",
        "id": str(appointment_type.pk),
        "active": appointment_type.active,
        "location": [ref("Location", appointment_type.clinic_id)],
        "name": appointment_type.shown_name,
        "type": [service_type(appointment_type)],
    }
    if appointment_type.shown_description:
        found["comment"] = appointment_type.shown_description
    return found


def schedule(
    p: Practitioner, appointment_type: AppointmentType, clinic: Clinic, *, now: datetime | None = None
) -> Resource:
    """One practitioner offering one treatment at one clinic; its horizon is how far ahead the
    clinic takes bookings (from its minimum notice to its maximum advance)."""
    now = now or timezone.now()
    return {
        "resourceType": "Schedule",
        "id": ids.schedule_id(p.pk, appointment_type.pk),
        "active": p.active and appointment_type.active,
        "serviceType": [service_type(appointment_type)],
        "actor": [ref("Practitioner", p.pk, p.display_name), ref("Location", clinic.pk, clinic.name)],
        "planningHorizon": {
            "start": instant(now + timedelta(minutes=clinic.min_notice_minutes)),
            "end": instant(now + timedelta(days=clinic.max_advance_days)),
        },
    }


def slot(key: SlotKey, end: datetime, clinic: Clinic, *, service: AppointmentType | None = None) -> Resource:
    """A free start on a schedule, as the booking engine offers it (busy calendar time, holds and
    notice already applied)."""
    found: Resource = {
        "resourceType": "Slot",
        "id": ids.slot_id(key),
        "schedule": ref("Schedule", ids.schedule_id(key.practitioner_id, key.appointment_type_id)),
        "status": "free",
        "start": instant(key.start),
        "end": instant(end),
    }
    if service is not None:
        found["serviceType"] = [service_type(service)]
    return found


def _participants(practitioner_id: int, clinic_id: int, status: str) -> list[dict[str, Any]]:
    return [
        {"actor": ref("Practitioner", practitioner_id), "required": "required", "status": status},
        {"actor": ref("Location", clinic_id), "required": "required", "status": status},
    ]


def appointment(appt: Appointment, *, show_patient: bool) -> Resource:
    """An Acus appointment. The patient is named only to that patient, or to a key that booked it
    or identified them (the caller decides: `show_patient`)."""
    status = APPOINTMENT_STATUS[appt.status]
    each = "tentative" if status == "pending" else "accepted"
    participants = _participants(appt.practitioner_id, appt.clinic_id, each)
    if show_patient:
        participants.insert(0, {"actor": ref("Patient", appt.patient_id), "required": "required", "status": each})
    period = {"start": instant(appt.start), "end": instant(appt.end)}
    return {
        "resourceType": "Appointment",
        "id": str(appt.pk),
        "meta": {"profile": [APPOINTMENT_PROFILE]},
        "identifier": [{"system": appointment_identifier_system(), "value": str(appt.pk)}],
        "status": status,
        "serviceType": [service_type(appt.appointment_type)],
        "start": period["start"],
        "end": period["end"],
        "minutesDuration": max(1, int((appt.end - appt.start).total_seconds() // 60)),
        "created": instant(appt.created_at),
        "participant": participants,
        "requestedPeriod": [period],
    }


def proposed_appointment(
    key: SlotKey,
    end: datetime,
    appointment_type: AppointmentType,
    clinic: Clinic,
    *,
    requested: tuple[datetime, datetime] | None = None,
) -> Resource:
    """A $find answer: a time Acus would book, with an id $hold and $book take back (signed)."""
    start_at, end_at = requested or (key.start, end)
    return {
        "resourceType": "Appointment",
        "id": ids.proposed_id(key),
        "meta": {"profile": [APPOINTMENT_PROFILE]},
        "status": "proposed",
        "serviceType": [service_type(appointment_type)],
        "start": instant(key.start),
        "end": instant(end),
        "minutesDuration": max(1, int((end - key.start).total_seconds() // 60)),
        "participant": _participants(key.practitioner_id, clinic.pk, "needs-action"),
        "requestedPeriod": [{"start": instant(start_at), "end": instant(end_at)}],
    }


def bundle(
    kind: str,
    entries: Iterable[Resource],
    links: Mapping[str, str] | Sequence[tuple[str, str]] = (),
    total: int | None = None,
    *,
    base: str = "",
) -> Resource:
    """A Bundle of `entries` (resources). In a searchset each entry says why it is there: "match",
    or "outcome" for an OperationOutcome (IHE's avail-bundle profile), and the total is given.
    `base` (the endpoint's absolute URL, ending in "/") makes each entry's fullUrl."""
    wrapped = []
    for resource in entries:
        entry: dict[str, Any] = {"resource": resource}
        if base and resource.get("id"):
            entry["fullUrl"] = f"{base}{resource['resourceType']}/{resource['id']}"
        if kind == "searchset":
            entry["search"] = {"mode": "outcome" if resource["resourceType"] == "OperationOutcome" else "match"}
        wrapped.append(entry)
    found: Resource = {"resourceType": "Bundle", "type": kind}
    if kind == "searchset":
        found["meta"] = {"profile": [BUNDLE_PROFILE]}
        found["total"] = total if total is not None else len(wrapped)
    elif total is not None:
        found["total"] = total
    pairs = links.items() if isinstance(links, Mapping) else links
    if pairs:
        found["link"] = [{"relation": relation, "url": url} for relation, url in pairs]
    if wrapped:
        found["entry"] = wrapped
    return found
