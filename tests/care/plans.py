"""What the plans-of-care tests share: a patient seen at the desk's clinic, a valid body,
and JSON posting."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from accounts.models import Patient
from tests.workspace.factories import Desk, book_plain

URL = "/api/v1/staff/care-plans"


def seen(desk: Desk, patient: Patient, hh_mm: str = "10:00") -> Patient:
    """The patient after an assessment at the desk's clinic (a plan follows a visit)."""
    book_plain(desk, patient, desk.at(hh_mm))
    return patient


def plan_body(desk: Desk, patient: Patient, **changes: Any) -> dict[str, Any]:
    return {
        "patient": patient.pk,
        "clinic": desk.clinic.pk,
        "appointment_type": desk.needling.pk,
        "problem": "Neck pain after long days at the desk",
        "body_region": "neck",
        "goals": ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"],
        "sessions_planned": 4,
        "spacing_days": 7,
        "measures": ["nprs", "psfs"],
        "review_on": "2026-07-01",
        **changes,
    }


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def propose(client: Client, desk: Desk, patient: Patient, **changes: Any) -> dict[str, Any]:
    response = post(client, URL, plan_body(desk, patient, **changes))
    assert response.status_code == 201, response.content
    return dict(response.json())
