"""The IHE flow's world, driven over real HTTP as an outside client would: a clinic with the
test consent form and questions, a sports massage and a dry-needling treatment, Dr Pin working
every day, a booking key (slots:read + appointments:book) and a read-only key (`directory`), and `Fhir`, a
small urllib3 client for /fhir/R4/ that answers (status, JSON).

Tests that use it ask for `live_server` (through `fhir_url`), so their database is transactional:
the server's threads see what the test wrote."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import urllib3
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from rest_framework.authtoken.models import Token

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion
from interop.keys import issue_key
from interop.models import Scope
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.consent.factories import SCOPE

LONDON = ZoneInfo("Europe/London")
CONSENT_LINK = "https://acus.invalid/fhir/StructureDefinition/consent-link"


class Fhir:
    """One caller of the endpoint: a patient's token or a client key."""

    def __init__(self, base: str, authorization: str = "") -> None:
        self.base = base
        self.headers = {"Accept": "application/fhir+json", "Content-Type": "application/fhir+json"}
        if authorization:
            self.headers["Authorization"] = authorization
        self.http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=30))

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode() if body is not None else None
        response = self.http.request(method, self.base + path, body=data, headers={**self.headers, **headers})
        found = json.loads(response.data) if response.data else {}
        assert response.headers["Content-Type"].startswith(("application/fhir+json", "application/json")), found
        if response.status >= 400:
            # Every refusal is an OperationOutcome, whatever went wrong.
            OperationOutcome.model_validate(found)
        return response.status, found

    def get(self, path: str, **query: Any) -> tuple[int, dict[str, Any]]:
        if query:
            path += "?" + urlencode(query, doseq=True)
        return self.call("GET", path)

    def post(self, path: str, body: Any, **headers: str) -> tuple[int, dict[str, Any]]:
        return self.call("POST", path, body, **headers)

    def put(self, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        return self.call("PUT", path, body)


def parameters(*pairs: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """A Parameters resource: parameters(("start", {"valueDateTime": ...}), ...)."""
    return {"resourceType": "Parameters", "parameter": [{"name": name, **value} for name, value in pairs]}


def reference(appointment_id: str) -> tuple[str, dict[str, Any]]:
    return ("appointment-reference", {"valueReference": {"reference": f"Appointment/{appointment_id}"}})


def patient_resource(email: str, birth_date: str, name: str = "Robin Portal") -> tuple[str, dict[str, Any]]:
    given, family = name.split(" ", 1)
    return (
        "patient-resource",
        {
            "resource": {
                "resourceType": "Patient",
                "name": [{"given": [given], "family": family}],
                "telecom": [{"system": "email", "value": email}],
                "birthDate": birth_date,
            }
        },
    )


def day_ahead(days: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(0), LONDON)


def window(days: int = 3) -> dict[str, str]:
    """$find's start and end: one whole day at the clinic, `days` ahead."""
    start = day_ahead(days)
    return {"start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat()}


def only_appointment(bundle: dict[str, Any]) -> dict[str, Any]:
    """The Appointment of a $hold or $book answer: a searchset Bundle with it alone (ITI-116/117)."""
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Appointment"]
    found: dict[str, Any] = bundle["entry"][0]["resource"]
    FhirAppointment.model_validate(found)
    return found


def consent_link(appointment: dict[str, Any]) -> str | None:
    return next((e["valueUrl"] for e in appointment.get("extension", []) if e["url"] == CONSENT_LINK), None)


def token_of(patient: Patient) -> str:
    token, _ = Token.objects.get_or_create(user=patient.user)
    return f"Token {token.key}"


@pytest.fixture
def clinic(form: ConsentFormVersion, questionnaire: QuestionnaireVersion) -> Clinic:
    return make_clinic(slug=SCOPE, name="Test Clinic")


@pytest.fixture
def massage(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, name="Sports massage")


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True, name="Dry needling")


@pytest.fixture
def pin(clinic: Clinic, massage: AppointmentType, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Pin", weekdays=range(7))


@pytest.fixture
def fhir_url(live_server: Any) -> str:
    return f"{live_server.url}/fhir/R4/"


@pytest.fixture
def portal(fhir_url: str, clinic: Clinic) -> Fhir:
    """A booking portal's key: it reads slots and books for the patients it names."""
    _, key = issue_key(clinic=clinic, name="Portal", scopes=[Scope.SLOTS_READ, Scope.BOOK], actor=None)
    return Fhir(fhir_url, f"Bearer {key}")


@pytest.fixture
def directory(fhir_url: str, clinic: Clinic) -> Fhir:
    _, key = issue_key(clinic=clinic, name="Directory", scopes=[Scope.SLOTS_READ], actor=None)
    return Fhir(fhir_url, f"Bearer {key}")


@pytest.fixture
def patient_fhir(fhir_url: str, patient: Patient) -> Fhir:
    return Fhir(fhir_url, token_of(patient))
