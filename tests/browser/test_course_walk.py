"""A course of care end to end on a phone, in real Chromium: the practitioner proposes a plan
after a first needling visit and makes it active; the patient, signed in with an emailed code,
finds the course, books the remaining sessions in one step on the consent they signed, answers
NPRS and PSFS, and ticks today's exercise. Every page passes axe-core, has no horizontal
scrolling at 320 px and 44 px touch targets, and is kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import Appointment
from care.models import CarePlan, CourseVisit, Exercise, ExerciseLog, OutcomeScore, PlanStatus
from care.services import exercises as exercise_services
from tests.accounts.factories import make_patient, make_staff
from tests.browser.journey import look_at, sign_in_with_code
from tests.browser.kit import PHONES
from tests.browser.staff import sign_in
from tests.workspace.factories import Desk, book_needling, make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 44
GOALS = ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"]


@pytest.fixture
def first_visit(transactional_db: None) -> tuple[Desk, Patient, Appointment]:
    """Alex's desk (open every day) and Robin, needled yesterday on a signed consent."""
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN, "admin@example.com"))
    robin = make_patient("robin@example.com", legal_name="Robin Clear")
    yesterday = timezone.now().astimezone(desk.clinic.zone).date() - timedelta(days=1)
    visit = book_needling(desk, robin, desk.at("10:00", yesterday))
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.COMPLETED)
    return desk, robin, visit


def practitioner_proposes(page: Any, live_server: Any, desk: Desk, visit: Appointment) -> CarePlan:
    sign_in(page, live_server, desk.alex.user, "course")
    page.goto(f"{live_server.url}/staff/appointments/{visit.pk}/")
    page.get_by_role("link", name="Create a plan of care").click()
    page.wait_for_url("**/staff/plans/new/?patient=*")
    page.get_by_label("Problem").fill("Neck pain after long days at the desk")
    page.get_by_label("Body region").select_option("neck")
    for number, goal in enumerate(GOALS, start=1):
        page.get_by_label(f"Goal {number}").fill(goal)
    page.get_by_label("Sessions planned").fill("4")
    page.get_by_label("Days between sessions").fill("7")
    page.get_by_label("Numeric Pain Rating Scale").check()
    page.get_by_label("Patient-Specific Functional Scale").check()
    page.get_by_label("Review date").fill((timezone.localdate() + timedelta(days=42)).isoformat())
    page.get_by_label("Treatment").select_option(label=desk.needling.name)
    page.get_by_role("button", name="Propose the plan").click()
    page.wait_for_url("**/staff/plans/")
    page.get_by_role("link", name="Change the status of Robin Clear's plan").click()
    page.wait_for_url("**/status/")
    page.get_by_label("Active", exact=True).check()
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_url("**/staff/plans/")
    plan = CarePlan.objects.get()
    assert plan.status == PlanStatus.ACTIVE
    return plan


def prescribe_an_exercise(desk: Desk, plan: CarePlan) -> None:
    """The library and the prescription (the practitioner's pages for them have their own walk)."""
    chin_tuck = Exercise.objects.create(
        clinic=desk.clinic,
        name="Chin tucks",
        instructions="Sit tall. Draw your chin straight back, hold, and relax.",
        sets=2,
        repetitions=10,
        hold_seconds=5,
    )
    exercise_services.prescribe(plan, exercise=chin_tuck, actor=desk.alex.user)


def test_a_course_from_the_plan_to_booked_sessions_scores_and_exercises(
    browser: Any, phone: Any, live_server: Any, first_visit: tuple[Desk, Patient, Appointment]
) -> None:
    desk, robin, visit = first_visit
    staff = browser.new_context(**PHONES["pixel"])
    staff_page = staff.new_page()
    staff_page.profile = "staff-pixel"
    plan = practitioner_proposes(staff_page, live_server, desk, visit)
    staff.close()
    prescribe_an_exercise(desk, plan)

    phone.goto(f"{live_server.url}/care/plans/")
    sign_in_with_code(phone, robin.user.email, live_server, "course")
    phone.wait_for_url("**/care/plans/")
    look_at(phone, "course-1-plans", live_server, target=TARGET)
    phone.locator(f'main a[href="/care/plans/{plan.pk}/"]').first.click()
    phone.wait_for_url(f"**/care/plans/{plan.pk}/")
    look_at(phone, "course-2-course", live_server, target=TARGET)

    # Book the four planned sessions, on the weekday of the first visit at its time.
    phone.get_by_role("link", name="Book your remaining sessions").click()
    phone.wait_for_url("**/book/")
    look_at(phone, "course-3-book", live_server, target=TARGET)
    local = visit.local_start
    phone.get_by_label("Day of the week").select_option(str(local.weekday()))
    phone.get_by_label("Time of day").fill(local.strftime("%H:%M"))
    phone.get_by_role("button", name="Show the proposed visits").click()
    phone.wait_for_load_state("load")
    look_at(phone, "course-4-proposal", live_server, target=TARGET)
    phone.get_by_label("Nothing has changed in my health").check()
    phone.get_by_role("button", name="Book these visits").click()
    phone.wait_for_load_state("load")
    look_at(phone, "course-5-booked", live_server, target=TARGET)
    booked = CourseVisit.objects.filter(plan=plan).select_related("appointment")
    assert len(booked) == 4
    assert {v.appointment.status for v in booked} == {Appointment.Status.CONFIRMED}
    starts = sorted(v.appointment.start for v in booked)
    assert all(later - earlier >= timedelta(days=5) for earlier, later in pairwise(starts))

    # Baseline scores: NPRS, then PSFS with the patient's own activities.
    phone.goto(f"{live_server.url}/care/plans/{plan.pk}/measures/")
    look_at(phone, "course-6-measures", live_server, target=TARGET)
    phone.get_by_role("link", name="Numeric Pain Rating Scale").click()
    phone.wait_for_load_state("load")
    look_at(phone, "course-7-nprs", live_server, target=TARGET)
    phone.locator("fieldset").first.get_by_label("6", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_load_state("load")
    look_at(phone, "course-8-nprs-result", live_server, target=TARGET)
    phone.goto(f"{live_server.url}/care/plans/{plan.pk}/measures/")
    phone.get_by_role("link", name="Patient-Specific Functional Scale").click()
    phone.wait_for_load_state("load")
    look_at(phone, "course-9-psfs", live_server, target=TARGET)
    for fieldset, rating in zip(phone.locator("fieldset").all(), ("3", "4", "5"), strict=True):
        fieldset.get_by_label(rating, exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_load_state("load")
    scores = {s.instrument: s for s in OutcomeScore.objects.filter(plan=plan)}
    assert (scores["nprs"].score, scores["nprs"].timepoint) == (6, "baseline")
    assert scores["psfs"].score == 4

    # Today's exercise, ticked once.
    phone.goto(f"{live_server.url}/care/plans/{plan.pk}/exercises/")
    look_at(phone, "course-10-exercises", live_server, target=TARGET)
    phone.get_by_role("button", name="I have done “Chin tucks” today").click()
    phone.wait_for_load_state("load")
    assert phone.get_by_role("button", name="Undo: I have not done “Chin tucks” today").is_visible()
    look_at(phone, "course-11-ticked", live_server, target=TARGET)
    assert ExerciseLog.objects.filter(prescription__plan=plan).count() == 1

    phone.goto(f"{live_server.url}/care/plans/{plan.pk}/")
    look_at(phone, "course-12-progress", live_server, target=TARGET)
    assert phone.locator("svg[role=img]").count() >= 1
