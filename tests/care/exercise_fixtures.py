"""What the home exercise tests share: a plan of care for Pat at the desk's clinic (Europe/London),
an exercise in its library, pictures made with Pillow, and the clients that act."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from accounts.models import Patient
from care.models import CarePlan, Exercise, PlanExercise
from care.services import exercises as services
from tests.care.plans import propose, seen
from tests.workspace.factories import Desk, staff_client

LIBRARY = "/api/v1/staff/exercises"


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, kind)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def exercise_body(desk: Desk, **changes: Any) -> dict[str, Any]:
    return {
        "clinic": desk.clinic.pk,
        "name": "Chin tucks",
        "instructions": "Sit tall. Gently draw your chin straight back. Hold, then relax.",
        "sets": 3,
        "repetitions": 10,
        "hold_seconds": 5,
        "times_a_day": 2,
        **changes,
    }


@pytest.fixture
def alex(desk: Desk) -> Client:
    return staff_client(desk.alex.user)


@pytest.fixture
def plan(desk: Desk, alex: Client, patient: Patient) -> CarePlan:
    return CarePlan.objects.get(pk=propose(alex, desk, seen(desk, patient))["id"])


@pytest.fixture
def chin_tucks(desk: Desk) -> Exercise:
    return services.create_exercise(
        clinic=desk.clinic,
        data=services.ExerciseInput(
            name="Chin tucks",
            instructions="Sit tall. Gently draw your chin straight back.",
            dose=services.DoseInput(3, 10, 5, 2),
            picture_alt="A person sitting tall, drawing the chin back",
            translations={"es": {"name": "Retracción de mentón", "instructions": "Siéntese recto."}},
        ),
        picture=picture(),
        actor=desk.alex.user,
    )


@pytest.fixture
def prescribed(plan: CarePlan, chin_tucks: Exercise, desk: Desk) -> PlanExercise:
    return services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user)


def log_days(prescription: PlanExercise) -> list[date]:
    return list(prescription.log.order_by("day").values_list("day", flat=True))
