"""A plan's status moves only as care/plan_status.py allows, each move kept with who and when;
the history cannot be edited."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from accounts.models import Patient
from care import plan_status
from care.models import CarePlan, CarePlanStatusChange, PlanStatus
from tests.care.plans import URL, post, propose, seen
from tests.resources import need_postgres
from tests.workspace.factories import NOW, Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def alex(desk: Desk) -> Client:
    return staff_client(desk.alex.user)


@pytest.fixture
def plan_id(desk: Desk, alex: Client, patient: Patient) -> int:
    return int(propose(alex, desk, seen(desk, patient))["id"])


def move(client: Client, plan_id: int, to: str, note: str = "") -> object:
    return post(client, f"{URL}/{plan_id}/status", {"to": to, "note": note})


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        ("proposed", {"active", "stopped"}),
        ("active", {"on_hold", "completed", "stopped"}),
        ("on_hold", {"active", "stopped"}),
        ("completed", set()),
        ("stopped", set()),
    ],
)
def test_the_allowed_moves(start: str, allowed: set[str]) -> None:
    assert {to for to in PlanStatus.values if plan_status.can_move(start, to)} == allowed
    assert plan_status.is_final(start) == (not allowed)


def test_a_plan_moves_through_its_course_and_keeps_who_and_when(desk: Desk, alex: Client, plan_id: int) -> None:
    for to in ("active", "on_hold", "active", "completed"):
        response = move(alex, plan_id, to, note=f"to {to}")
        assert response.status_code == 200, response.content  # type: ignore[attr-defined]

    assert CarePlan.objects.get(pk=plan_id).status == "completed"
    history = list(CarePlanStatusChange.objects.filter(plan_id=plan_id).values_list("from_status", "to_status"))
    assert history == [("proposed", "active"), ("active", "on_hold"), ("on_hold", "active"), ("active", "completed")]
    first = CarePlanStatusChange.objects.filter(plan_id=plan_id).first()
    assert first is not None
    assert (first.by, first.at, first.note) == (desk.alex.user, NOW, "to active")
    shown = alex.get(f"{URL}/{plan_id}").json()["status_changes"]
    assert shown[0]["by"] == desk.alex.user.email
    assert shown[0]["at"] == "2026-06-01T09:00:00+01:00"


@pytest.mark.parametrize(("path", "refused"), [((), "completed"), (("active", "completed"), "active")])
def test_a_move_the_rules_refuse_is_a_field_error(
    alex: Client, plan_id: int, path: tuple[str, ...], refused: str
) -> None:
    for to in path:
        move(alex, plan_id, to)
    before = CarePlanStatusChange.objects.count()

    response = move(alex, plan_id, refused)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "cannot move to" in response.json()["fields"]["to"][0]  # type: ignore[attr-defined]
    assert CarePlanStatusChange.objects.count() == before


def test_an_unknown_status_is_a_field_error(alex: Client, plan_id: int) -> None:
    response = move(alex, plan_id, "abandoned")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "to" in response.json()["fields"]  # type: ignore[attr-defined]


def test_the_clinic_admin_may_move_it_too(desk: Desk, plan_id: int) -> None:
    response = move(staff_client(desk.admin), plan_id, "stopped", note="Patient moved away")

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert CarePlanStatusChange.objects.get().by == desk.admin


def test_the_status_history_cannot_be_edited_or_deleted(alex: Client, plan_id: int) -> None:
    need_postgres()
    move(alex, plan_id, "active")
    change = CarePlanStatusChange.objects.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CarePlanStatusChange.objects.filter(pk=change.pk).update(note="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CarePlanStatusChange.objects.filter(pk=change.pk).delete()
