"""A patient books through the API with every query of the request going through PgBouncer in
transaction pooling: whatever a request path keeps on a server session (a cursor, a prepared
statement, a setting) would surface here as an error or a wrong answer."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.db import connection

from booking.models import Appointment
from tests.accounts.factories import make_patient
from tests.accounts.sign_in import api_as
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.pooler.conftest import Pooled

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def _frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def test_a_patient_sees_slots_holds_one_confirms_it_and_lists_it_through_the_pooler(pooled: Pooled) -> None:
    clinic = make_clinic(time_zone="Europe/London", slot_step_minutes=60)
    kind = make_type(clinic, minutes=60)
    alex = make_practitioner(clinic, hours=[(time(9), time(12))])
    api = api_as(make_patient("pat@example.com"))
    day = {"appointment_type": str(kind.pk), "start": "2026-03-03T00:00:00+00:00", "end": "2026-03-03T23:59:00+00:00"}

    with pooled.in_this_thread():
        assert connection.settings_dict["PORT"] == pooled.server.port
        free = api.get("/api/v1/slots", day)
        held = api.post(
            "/api/v1/appointments", {"appointment_type": kind.pk, "start": free.json()[0]["start"]}, format="json"
        )
        confirmed = api.post(f"/api/v1/appointments/{held.json()['id']}/confirm")
        listed = api.get("/api/v1/appointments")
        again = api.get("/api/v1/slots", day)

    assert free.status_code == 200, free.json()
    assert [slot["start"] for slot in free.json()] == [f"2026-03-03T{hh:02d}:00:00+00:00" for hh in (9, 10, 11)]
    assert held.status_code == 201, held.json()
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "confirmed"
    assert listed.status_code == 200
    assert [(row["id"], row["status"]) for row in listed.json()] == [(held.json()["id"], "confirmed")]
    assert [slot["start"] for slot in again.json()] == ["2026-03-03T10:00:00+00:00", "2026-03-03T11:00:00+00:00"]
    assert Appointment.objects.get().practitioner == alex
