"""A practitioner adds a home exercise to a plan on a phone, in real Chromium: from the course
page to the plan's exercises, the form sent once with a dose out of range, then right, and the
exercise on the programme. Every page passes axe-core, has no horizontal scrolling at 320 px and
44 px touch targets, and is kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from care.models import CarePlan, PlanExercise, PlanStatus
from care.services import exercises as exercise_services
from care.services import plans as plan_services
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import insert_appointment
from tests.browser.journey import look_at
from tests.browser.staff import sign_in
from tests.workspace.factories import Desk, make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 44  # used on a phone between patients: the patients' pages' size


@pytest.fixture
def planned(transactional_db: None) -> tuple[Desk, CarePlan]:
    """Alex's desk, an active plan for a patient assessed yesterday, and chin tucks in the library."""
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN, "admin@example.com"))
    robin = make_patient("robin@example.com", legal_name="Robin Clear")
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    insert_appointment(robin, desk.alex, desk.plain, start, status="completed")
    plan = plan_services.create_plan(
        practitioner_user=desk.alex.user,
        patient=robin,
        clinic=desk.clinic,
        appointment_type=desk.needling,
        data=plan_services.PlanInput(
            problem="Neck pain after long days at the desk",
            body_region="neck",
            goals=["Turn my head when driving"],
            sessions_planned=6,
            spacing_days=7,
            measures=["nprs"],
            review_on=timezone.localdate() + timedelta(days=42),
        ),
    )
    plan = plan_services.change_status(plan=plan, to=PlanStatus.ACTIVE, by=desk.alex.user)
    exercise_services.create_exercise(
        clinic=desk.clinic,
        data=exercise_services.ExerciseInput(
            name="Chin tucks",
            instructions="Sit tall. Gently draw your chin straight back.",
            dose=exercise_services.DoseInput(3, 10, 5, 2),
        ),
        picture=None,
        actor=desk.alex.user,
    )
    return desk, plan


def test_a_practitioner_adds_a_home_exercise_on_a_phone(
    phone: Any, live_server: Any, planned: tuple[Desk, CarePlan]
) -> None:
    desk, plan = planned
    sign_in(phone, live_server, desk.alex.user, "exercises")

    phone.goto(f"{live_server.url}/staff/plans/{plan.pk}/")
    phone.get_by_role("link", name="The patient's exercises").click()
    phone.wait_for_url(f"**/staff/plans/{plan.pk}/exercises/")
    assert phone.get_by_text("No exercises prescribed yet.").first.is_visible()
    look_at(phone, "exercises-3-empty", live_server, target=TARGET)

    phone.get_by_label("Exercise", exact=True).select_option(
        label="Chin tucks (library dose: 3 sets of 10, hold 5 seconds, twice a day)"
    )
    phone.get_by_label("Sets").fill("0")
    phone.get_by_label("Repetitions").fill("12")
    phone.get_by_role("button", name="Add the exercise").click()
    phone.wait_for_load_state("load")
    assert phone.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert phone.get_by_text("Choose a number from 1 to 10.").first.is_visible()
    look_at(phone, "exercises-4-errors", live_server, target=TARGET)
    assert not PlanExercise.objects.exists()

    phone.get_by_label("Sets").fill("")
    phone.get_by_label("Note for the patient (optional)").fill("Slowly, in front of a mirror")
    phone.get_by_role("button", name="Add the exercise").click()
    phone.wait_for_url(f"**/staff/plans/{plan.pk}/exercises/")
    assert phone.get_by_text("Exercise added to the programme.").is_visible()
    assert phone.get_by_text("3 sets of 12, hold 5 seconds, twice a day").is_visible()
    look_at(phone, "exercises-5-added", live_server, target=TARGET)

    row = PlanExercise.objects.get(plan=plan)
    assert (row.sets, row.repetitions, row.hold_seconds, row.times_a_day) == (3, 12, 5, 2)
    assert row.note == "Slowly, in front of a mirror"

    card = phone.locator(".card", has_text="Chin tucks")
    card.get_by_text("Change the dose").click()
    card.get_by_label("Times a day").fill("1")
    card.get_by_role("button", name="Save the dose of Chin tucks").click()
    phone.wait_for_url(f"**/staff/plans/{plan.pk}/exercises/")
    assert phone.get_by_text("Dose changed.").is_visible()
    assert phone.get_by_text("3 sets of 12, hold 5 seconds, once a day").is_visible()

    phone.get_by_role("button", name="Stop after today").click()
    phone.wait_for_url(f"**/staff/plans/{plan.pk}/exercises/")
    assert phone.get_by_text("Exercise stopped: today is its last day.").is_visible()
    look_at(phone, "exercises-6-stopped", live_server, target=TARGET)
    row.refresh_from_db()
    assert (row.times_a_day, row.stopped_on) == (1, timezone.localdate())
