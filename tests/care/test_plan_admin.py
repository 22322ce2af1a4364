"""The admin shows plans of care read-only, with their status history, to the admins of the
plan's clinic; nobody adds, changes or deletes one there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

import care.admin_plans  # noqa: F401  (registers the admin until care/admin.py imports it)
from accounts.models import Patient, User
from care.models import CarePlan
from care.services import plans as services
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.care.plans import propose, seen
from tests.workspace.factories import Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

ADMIN = "/admin/care/careplan/"


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    made = CarePlan.objects.get(pk=propose(staff_client(desk.alex.user), desk, seen(desk, patient))["id"])
    return services.change_status(plan=made, to="active", by=desk.alex.user, note="Agreed at the visit")


def test_the_clinic_admin_reads_a_plan_and_its_history(desk: Desk, plan: CarePlan) -> None:
    admin = verified_staff_client(desk.admin)

    listed = admin.get(ADMIN)
    page = admin.get(f"{ADMIN}{plan.pk}/change/")

    assert listed.status_code == 200 and f"{ADMIN}{plan.pk}/change/" in listed.content.decode()
    html = page.content.decode()
    assert page.status_code == 200 and "Agreed at the visit" in html
    assert 'name="problem"' not in html and "_save" not in html
    assert admin.get(f"{ADMIN}add/").status_code == 403
    assert admin.post(f"{ADMIN}{plan.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CarePlan.objects.filter(pk=plan.pk).exists()


def test_an_admin_of_another_clinic_does_not_see_it(plan: CarePlan) -> None:
    # Not a superuser: allowed to view plans, but only those of the clinic they run.
    other = make_staff(User.Role.CLINIC_ADMIN, "other.admin@example.com")
    other.is_superuser = False
    other.save(update_fields=["is_superuser"])
    other.user_permissions.add(Permission.objects.get(codename="view_careplan"))
    make_clinic(name="Elsewhere", slug="elsewhere").admins.add(other)
    client = verified_staff_client(other)

    assert f"{ADMIN}{plan.pk}/change/" not in client.get(ADMIN).content.decode()
    assert client.get(f"{ADMIN}{plan.pk}/change/").status_code in (302, 404)
