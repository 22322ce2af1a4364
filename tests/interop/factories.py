"""The FHIR tests' world: a clinic with two treatments (one needling) and two practitioners,
another clinic beside it, client keys, and clients that call /fhir/R4/ as a key or a patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rest_framework.test import APIClient

from booking.models import AppointmentType, Clinic, Practitioner
from interop.keys import issue_key
from interop.models import ClientKey, Scope
from tests.booking.factories import make_clinic, make_practitioner, make_type

FHIR = "/fhir/R4/"
FHIR_JSON = "application/fhir+json"
# A Monday morning before the clinics open (London is on UTC then): slots start from 09:00.
NOW = datetime(2030, 3, 4, 7, 0, tzinfo=UTC)


@dataclass
class Site:
    clinic: Clinic
    massage: AppointmentType
    needling: AppointmentType
    ann: Practitioner
    ben: Practitioner


def make_site(**clinic_fields: Any) -> Site:
    """Ann offers both treatments; Ben offers massage only. Both work 9 to 5 on weekdays."""
    clinic = make_clinic(min_notice_minutes=60, max_advance_days=30, **clinic_fields)
    massage = make_type(clinic, minutes=45, name="Massage")
    needling = make_type(clinic, minutes=30, needling=True, name="Dry needling")
    ann = make_practitioner(clinic, types=[massage, needling], name="Ann Acu")
    ben = make_practitioner(clinic, types=[massage], name="Ben Bodywork")
    return Site(clinic, massage, needling, ann, ben)


def make_key(clinic: Clinic, *scopes: str) -> tuple[ClientKey, str]:
    return issue_key(clinic=clinic, name="EHR", scopes=list(scopes or [Scope.SLOTS_READ]), actor=None)


def key_client(presented: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {presented}")
    return client


def fhir_get(client: APIClient, path: str, **params: Any) -> Any:
    return client.get(f"{FHIR}{path}", params, HTTP_ACCEPT=FHIR_JSON)


def walk(client: APIClient, path: str, **params: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    """Every entry of a search, page by page through the `next` links; and every page's Bundle."""
    entries: list[dict[str, Any]] = []
    pages = []
    response = fhir_get(client, path, **params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body)
        entries.extend(e["resource"] for e in body.get("entry", []))
        following = [link["url"] for link in body.get("link", []) if link["relation"] == "next"]
        if not following:
            return entries, pages
        response = client.get(following[0], HTTP_ACCEPT=FHIR_JSON)
