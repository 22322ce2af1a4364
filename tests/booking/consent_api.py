"""The screening and consent API's steps, as a patient's phone takes them: answers posted
(`screen`, clear unless told otherwise), a consent's body (`consent_body`), and both at once
(`sign`)."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from booking.models import Appointment
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.consent.factories import CLEAR


def screen(client: APIClient, questionnaire: QuestionnaireVersion, appointment: Appointment, **answers: str) -> Any:
    response = client.post(
        "/api/v1/screenings",
        {"questionnaire_version": questionnaire.pk, "answers": {**CLEAR, **answers}, "appointment": appointment.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def consent_body(form: ConsentFormVersion, screening_id: int, appointment: Appointment, **overrides: Any) -> Any:
    body = {
        "form_version": form.pk,
        "screening": screening_id,
        "appointment": appointment.pk,
        "typed_name": "Pat Example",
        "acknowledgements": ["read", "asked"],
        "e_records_accepted": True,
    }
    return {**body, **overrides}


def sign(
    client: APIClient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion, appointment: Appointment
) -> dict[str, Any]:
    screening = screen(client, questionnaire, appointment)
    response = client.post("/api/v1/consents", consent_body(form, screening["id"], appointment), format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())
