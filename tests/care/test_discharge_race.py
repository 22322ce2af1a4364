"""Two practitioners discharging one plan at the same moment, on PostgreSQL: the plan's lock lets
exactly one discharge through; the other is told the plan was already discharged (a 409)."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from accounts.models import Patient, User
from care.models import CarePlan, CarePlanStatusChange, Discharge
from care.services.discharge import AlreadyDischarged, discharge_plan
from tests.care.discharge_course import make_plan
from tests.resources import need_postgres
from tests.workspace.factories import NOW, make_desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    # SQLite serialises writers ("database is locked"): the race is PostgreSQL's to prove.
    need_postgres()


def test_two_discharges_at_once_leave_one(clinic_admin: User, patient: Patient) -> None:
    with time_machine.travel(NOW, tick=False):
        desk = make_desk(clinic_admin)
        plan = make_plan(desk, patient)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run(by: User, reason: str) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            outcomes.append(discharge_plan(CarePlan.objects.get(pk=plan.pk), reason=reason, note="", by=by))
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(desk.alex.user, "goals_met")),
        threading.Thread(target=run, args=(desk.admin, "referred_on")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyDischarged", "Discharge"]
    assert any(isinstance(o, AlreadyDischarged) for o in outcomes)
    discharge = Discharge.objects.get(plan=plan)
    closing = CarePlanStatusChange.objects.filter(plan=plan).exclude(to_status="active")
    assert [c.to_status for c in closing] == [CarePlan.objects.get(pk=plan.pk).status]
    assert closing.get().by == discharge.by
