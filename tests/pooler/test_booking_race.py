"""Booking races through a real PgBouncer in transaction pooling, with more clients than server
connections: the locks and the exclusion constraint still let exactly one win each slot, and
every loser gets the domain's SlotUnavailable (a 409 through the API), never a database error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import errors, services
from booking.models import Appointment, AppointmentType, Practitioner
from tests.accounts.factories import make_patient
from tests.accounts.sign_in import api_as
from tests.booking.factories import local, make_clinic, make_practitioner, make_type
from tests.booking.overlaps import assert_no_overlaps
from tests.pooler.conftest import Pooled
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 in London
TUESDAY = date(2026, 6, 2)
CLIENTS = 12  # four times the pool's three server connections

Outcome = Appointment | BaseException


def holder(patient: Patient, kind: AppointmentType, start: datetime, who: Practitioner) -> Callable[[], Appointment]:
    def call() -> Appointment:
        return services.hold_appointment(patient, appointment_type=kind, start=start, practitioner=who, now=NOW)

    return call


def split(outcomes: list[Outcome]) -> tuple[list[Appointment], list[errors.SlotUnavailable]]:
    others = [o for o in outcomes if not isinstance(o, Appointment | errors.SlotUnavailable)]
    assert not others, f"failures other than the domain's refusal: {others!r}"
    return (
        [o for o in outcomes if isinstance(o, Appointment)],
        [o for o in outcomes if isinstance(o, errors.SlotUnavailable)],
    )


def test_clients_racing_through_the_pooler_for_one_slot_get_one_hold(pooled: Pooled) -> None:
    clinic = make_clinic()
    visit = make_type(clinic, minutes=60, before=10, after=15)
    physio = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")

    outcomes = race([holder(make_patient(), visit, start, physio) for _ in range(CLIENTS)])

    won, refused = split(outcomes)
    assert len(won) == 1
    assert len(refused) == CLIENTS - 1
    assert Appointment.objects.get().pk == won[0].pk
    assert_no_overlaps()
    assert pooled.server.server_connections(pooled.database) <= pooled.server.pool_size


def test_overlapping_starts_through_the_pooler_let_one_win_in_each_overlapping_set(pooled: Pooled) -> None:
    clinic = make_clinic()
    visit = make_type(clinic, minutes=60, before=10, after=15)
    physio = make_practitioner(clinic)
    # With a 60-minute visit and its buffers, any two starts within the hour overlap; the
    # morning and afternoon sets do not touch each other.
    morning = [local(clinic, TUESDAY, t) for t in ("10:00", "10:15", "10:30", "10:45")]
    afternoon = [local(clinic, TUESDAY, t) for t in ("14:00", "14:15", "14:30", "14:45")]
    starts = [(morning, afternoon)[i % 2][(i // 2) % 4] for i in range(CLIENTS)]

    outcomes = race([holder(make_patient(), visit, start, physio) for start in starts])

    won, refused = split(outcomes)
    assert sorted(w.start in morning for w in won) == [False, True]
    assert len(refused) == CLIENTS - 2
    assert Appointment.objects.count() == 2
    assert_no_overlaps()


def test_patients_posting_one_slot_through_the_api_and_the_pooler_get_one_201_and_409s(
    pooled: Pooled, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    clinic = make_clinic()
    visit = make_type(clinic, minutes=60)
    make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00").isoformat()
    clients = [api_as(make_patient()) for _ in range(CLIENTS)]

    def post(client: APIClient) -> Callable[[], tuple[int, str]]:
        def call() -> tuple[int, str]:
            response = client.post(
                "/api/v1/appointments", {"appointment_type": visit.pk, "start": start}, format="json"
            )
            return response.status_code, response.json().get("code", "")

        return call

    outcomes = race([post(client) for client in clients])

    answers = [outcome for outcome in outcomes if isinstance(outcome, tuple)]  # a 500 raises in the client
    assert sorted(answers) == [(201, "")] + [(409, "slot_unavailable")] * (CLIENTS - 1), outcomes
    assert Appointment.objects.count() == 1
    assert_no_overlaps()
