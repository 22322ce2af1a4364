"""A practitioner proposes a plan of care on a phone, in real Chromium: password and TOTP,
the form from the patient's appointment (sent once with a mistake, then right), the plan in
the list, its status moved to active. Every page passes axe-core, has no horizontal
scrolling at 320 px and 44 px touch targets, and is kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from booking.models import Appointment
from care.models import CarePlan, PlanStatus
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import insert_appointment
from tests.browser.journey import look_at
from tests.browser.test_staff_workspace import sign_in
from tests.workspace.factories import Desk, make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 44  # the form is used on a phone between patients: the patients' pages' size


@pytest.fixture
def assessed(transactional_db: None) -> tuple[Desk, Appointment]:
    """Alex's desk and a patient assessed yesterday."""
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN, "admin@example.com"))
    robin = make_patient("robin@example.com", legal_name="Robin Clear")
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    visit = insert_appointment(robin, desk.alex, desk.plain, start, status=Appointment.Status.COMPLETED)
    return desk, visit


def test_a_practitioner_proposes_a_plan_and_makes_it_active(
    phone: Any, live_server: Any, assessed: tuple[Desk, Appointment]
) -> None:
    desk, visit = assessed
    sign_in(phone, live_server, desk.alex.user, "plan")
    review_on = (timezone.localdate() + timedelta(days=42)).isoformat()

    phone.goto(f"{live_server.url}/staff/appointments/{visit.pk}/")
    phone.get_by_role("link", name="Create a plan of care").click()
    phone.wait_for_url("**/staff/plans/new/?patient=*")
    look_at(phone, "plan-3-form", live_server, target=TARGET)

    phone.get_by_label("Problem").fill("Neck pain after long days at the desk")
    phone.get_by_label("Body region").select_option("neck")
    phone.get_by_label("Goal 1").fill("Turn my head when driving")
    phone.get_by_label("Goal 2").fill("Sleep through the night")
    phone.get_by_label("Sessions planned").fill("21")
    phone.get_by_label("Days between sessions").fill("7")
    phone.get_by_label("Numeric Pain Rating Scale").check()
    phone.get_by_label("Patient-Specific Functional Scale").check()
    phone.get_by_label("Review date").fill(review_on)
    phone.get_by_label("Treatment").select_option(label=desk.needling.name)
    phone.get_by_role("button", name="Propose the plan").click()
    phone.wait_for_load_state("load")
    assert phone.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert phone.get_by_text("Choose a number from 1 to 20.").first.is_visible()
    look_at(phone, "plan-4-errors", live_server, target=TARGET)
    assert not CarePlan.objects.exists()

    phone.get_by_label("Sessions planned").fill("6")
    phone.get_by_label("Goal 3").fill("Work at my desk for two hours")
    phone.get_by_role("button", name="Propose the plan").click()
    phone.wait_for_url("**/staff/plans/")
    assert phone.get_by_role("link", name="Robin Clear", exact=True).is_visible()
    assert phone.locator(".badge", has_text="Proposed").is_visible()
    look_at(phone, "plan-5-list", live_server, target=TARGET)

    phone.get_by_role("link", name="Change the status of Robin Clear's plan").click()
    phone.wait_for_url("**/status/")
    look_at(phone, "plan-6-status", live_server, target=TARGET)
    phone.get_by_label("Active", exact=True).check()
    phone.get_by_label("Note (optional)").fill("Agreed at the visit")
    phone.get_by_role("button", name="Change the status").click()
    phone.wait_for_url("**/staff/plans/")
    assert phone.get_by_text("Status changed.").is_visible()
    look_at(phone, "plan-7-active", live_server, target=TARGET)

    plan = CarePlan.objects.get()
    assert (plan.status, plan.sessions_planned, plan.practitioner) == (PlanStatus.ACTIVE, 6, desk.alex)
    assert plan.status_changes.get().note == "Agreed at the visit"
