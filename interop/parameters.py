"""The inputs of $find, $hold and $book, read from a FHIR Parameters resource (a POST body) or a
query string (a GET $find), checked, and handed to interop.services.booking as plain values.

No database here: a reference names an id, and whether that id is the caller's to use is the
service's question. Every refusal is a ParameterError naming the parameter (FHIR's
`expression`), so the client knows which one to fix."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.utils.translation import gettext as _
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.patient import Patient as FhirPatient
from pydantic import ValidationError

# "Practitioner/12", "https://host/fhir/R4/Practitioner/12", a bare "12", or a token "system|12".
_TRAILING_ID = re.compile(r"(?:^|[/|])([A-Za-z0-9\-.]{1,64})$")
MAX_COUNT = 500
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2999, 12, 31, tzinfo=UTC)


class ParameterError(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass(frozen=True)
class FindQuery:
    start: datetime
    end: datetime
    practitioner_ids: list[int] = field(default_factory=list)
    appointment_type_ids: list[int] = field(default_factory=list)
    clinic_ids: list[int] = field(default_factory=list)
    count: int = 100


@dataclass(frozen=True)
class PatientDetails:
    """Who a client key books for: matched on both, never on the email alone."""

    email: str
    birth_date: date
    name: str = ""


@dataclass(frozen=True)
class BookRequest:
    reference: str = ""  # "p..." (a proposal) or "<Acus appointment id>"
    status: str = ""  # the status the client asks for, when it sent an Appointment
    start: datetime | None = None
    practitioner_id: int | None = None
    patient: PatientDetails | None = None
    health_unchanged: bool | None = None  # a patient's own word, as on the web's "has your health changed?"


def parameters_from_body(body: Any) -> Parameters:
    if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
        raise ParameterError("Parameters", _("Send a FHIR Parameters resource."))
    try:
        return Parameters.model_validate(body)
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"])
        raise ParameterError(f"Parameters.{where}", _("This is not a valid FHIR Parameters resource.")) from None


def _named(parameters: Parameters, *names: str) -> list[Any]:
    return [p for p in parameters.parameter or [] if p.name in names]


def _value(parameter: Any) -> str:
    for attribute in ("valueString", "valueCode", "valueUri", "valueId"):
        value = getattr(parameter, attribute, None)
        if value is not None:
            return str(value)
    reference = getattr(parameter, "valueReference", None)
    if reference is not None and reference.reference:
        return str(reference.reference)
    coding = getattr(parameter, "valueCoding", None)
    if coding is not None and coding.code:
        return f"{coding.system or ''}|{coding.code}"
    return ""


def is_row_id(value: str) -> bool:
    """A database id: digits, and few enough of them for a bigint (more would be a 500)."""
    return value.isdigit() and len(value) <= 12


def trailing_id(value: str) -> str:
    found = _TRAILING_ID.search(value.strip())
    return found[1] if found else ""


def _ids(values: list[str], name: str) -> list[int]:
    ids = []
    for value in values:
        for part in value.split(","):  # a query string may list several: practitioner=1,2
            found = trailing_id(part)
            if not is_row_id(found):
                raise ParameterError(name, _("This does not name a known resource."))
            ids.append(int(found))
    return ids


def _when(value: Any, name: str) -> datetime:
    """A dateTime with a zone, or a date (its midnight in UTC)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            raise ParameterError(name, _("Give a date and time with a time zone, e.g. 2026-03-02T09:00:00Z.")) from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ParameterError(name, _("Give a date and time with a time zone, e.g. 2026-03-02T09:00:00Z."))
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise ParameterError(name, _("Give a date between the years 2000 and 2999.")) from None
    elif isinstance(value, date):
        value = datetime.combine(value, time(0), UTC)
    if isinstance(value, datetime):
        if not _EARLIEST <= value <= _LATEST:
            # Days are added to and taken from it on the way (a year 1 would overflow: a 500).
            raise ParameterError(name, _("Give a date between the years 2000 and 2999."))
        return value
    raise ParameterError(name, _("Give a date and time with a time zone, e.g. 2026-03-02T09:00:00Z."))


def find_query(values: Mapping[str, list[Any]]) -> FindQuery:
    """$find's inputs by their IHE names (with the older `service-type` and `location` too)."""

    def one(name: str) -> Any:
        found = values.get(name) or []
        if not found or found[0] in ("", None):
            raise ParameterError(name, _("This parameter is required."))
        return found[0]

    start, end = _when(one("start"), "start"), _when(one("end"), "end")
    if end <= start:
        raise ParameterError("end", _("The end must come after the start."))
    count = 100
    if values.get("_count"):
        raw = str(values["_count"][0])
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_COUNT:
            raise ParameterError("_count", _("Give a number from 1 to %(max)s.") % {"max": MAX_COUNT})
        count = int(raw)
    types = [str(v) for v in [*values.get("visit-type", []), *values.get("service-type", [])]]
    clinics = [str(v) for v in [*values.get("location-reference", []), *values.get("location", [])]]
    return FindQuery(
        start=start,
        end=end,
        practitioner_ids=_ids([str(v) for v in values.get("practitioner", [])], "practitioner"),
        appointment_type_ids=_ids(types, "visit-type"),
        clinic_ids=_ids(clinics, "location-reference"),
        count=count,
    )


def find_values(parameters: Parameters) -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = {}
    for p in parameters.parameter or []:
        value = p.valueDateTime or p.valueDate or p.valueInstant or p.valueInteger or _value(p)
        values.setdefault(str(p.name), []).append(value)
    return values


def hold_reference(parameters: Parameters) -> str:
    found = _named(parameters, "appointment-reference")
    if len(found) != 1 or not _value(found[0]):
        raise ParameterError("appointment-reference", _("Name one proposed appointment from $find."))
    return _appointment_id(_value(found[0]), "appointment-reference")


def _appointment_id(reference: str, name: str) -> str:
    found = trailing_id(reference)
    if not found or ("/" in reference.strip() and "Appointment/" not in reference):
        raise ParameterError(name, _("This does not name an appointment."))
    return found


def book_request(parameters: Parameters) -> BookRequest:
    references = _named(parameters, "appointment-reference")
    resources = _named(parameters, "appointment-resource")
    if len(references) + len(resources) != 1:
        raise ParameterError("appointment-reference", _("Name one appointment: a reference or a resource."))
    patient = book_patient(parameters)
    unchanged = _named(parameters, "health-unchanged")
    health_unchanged = bool(unchanged[0].valueBoolean) if unchanged and unchanged[0].valueBoolean is not None else None
    if references:
        reference = _appointment_id(_value(references[0]), "appointment-reference")
        return BookRequest(reference=reference, patient=patient, health_unchanged=health_unchanged)
    resource = resources[0].resource
    if not isinstance(resource, FhirAppointment):
        raise ParameterError("appointment-resource", _("Send an Appointment resource."))
    return appointment_request(resource, patient=patient, health_unchanged=health_unchanged)


def appointment_request(
    resource: FhirAppointment, *, patient: PatientDetails | None = None, health_unchanged: bool | None = None
) -> BookRequest:
    """An Appointment sent whole ($book, or PUT Appointment/<id>): its id, status, time and practitioner."""
    practitioner = None
    for participant in resource.participant or []:
        reference = participant.actor.reference if participant.actor else None
        if reference and str(reference).startswith("Practitioner/"):
            found = trailing_id(str(reference))
            if not is_row_id(found):
                raise ParameterError("Appointment.participant.actor", _("This does not name a known resource."))
            practitioner = int(found)
    start = _when(resource.start, "Appointment.start") if resource.start else None
    contained = next((c for c in resource.contained or [] if isinstance(c, FhirPatient)), None)
    return BookRequest(
        reference=str(resource.id or ""),
        status=str(resource.status or ""),
        start=start,
        practitioner_id=practitioner,
        patient=patient or (_details(contained, "Appointment.contained") if contained else None),
        health_unchanged=health_unchanged,
    )


def book_patient(parameters: Parameters) -> PatientDetails | None:
    found = _named(parameters, "patient-resource")
    if not found:
        return None
    if len(found) > 1 or not isinstance(found[0].resource, FhirPatient):
        raise ParameterError("patient-resource", _("Send one Patient resource."))
    return _details(found[0].resource, "patient-resource")


def _details(patient: FhirPatient, name: str) -> PatientDetails:
    email = next((str(t.value) for t in patient.telecom or [] if t.system == "email" and t.value), "")
    if not email or "@" not in email:
        raise ParameterError(f"{name}.telecom", _("Give the patient's email address."))
    if patient.birthDate is None or not isinstance(patient.birthDate, date):
        raise ParameterError(f"{name}.birthDate", _("Give the patient's full date of birth."))
    name_text = ""
    if patient.name:
        human = patient.name[0]
        parts = [str(part) for part in [*(human.given or []), human.family] if part]
        name_text = str(human.text or " ".join(parts))
    return PatientDetails(email=email.strip(), birth_date=patient.birthDate, name=name_text[:200])
