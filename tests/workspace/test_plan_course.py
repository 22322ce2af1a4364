"""The practitioner's course page (/staff/plans/<pk>/) and the day view's flag on patients
whose active plan reached its review date without a meaningful improvement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Patient
from booking.models import Appointment
from care.models import CarePlan
from care.selectors.course import not_improving
from care.services import plans as plan_services
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.course_data import active_plan, exercise_days, score, visit
from tests.core.i18n import english_left_in
from tests.workspace.factories import MONDAY, Desk, body, book_plain, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
FLAG = "Not improving by review date"


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    plan = active_plan(desk, patient)
    first = visit(desk, plan, desk.at("10:00", MONDAY - timedelta(days=7)), 1)
    visit(desk, plan, desk.at("10:00", MONDAY + timedelta(days=7)), 2)
    score(plan, "nprs", 7, first.start)
    score(plan, "nprs", 6, desk.at("08:30"))
    exercise_days(plan, MONDAY - timedelta(days=7), [MONDAY - timedelta(days=7)])
    return plan


def test_the_practitioner_sees_the_course_with_links_to_each_visit(plan: CarePlan, alex_client: Client) -> None:
    html = body(alex_client.get(f"/staff/plans/{plan.pk}/"))

    assert "Course of care: Pat Example, Neck" in html
    assert "Goals, in the patient's own words" in html
    assert "Session 1 of 6" in html and "Session 2 of 6" in html
    for appointment in Appointment.objects.filter(course_visit__plan=plan):
        assert f'href="/staff/appointments/{appointment.pk}/"' in html
    assert "4 sessions are not booked yet." in html
    assert "/care/plans/" not in html, "booking the series is the patient's page"
    assert f'href="/staff/plans/{plan.pk}/status/"' in html
    assert "Exercise-days done out of those prescribed, per week" in html
    assert 'role="img"' in html and "not yet a meaningful change" in html


def test_the_clinic_admin_sees_it_and_a_colleague_does_not(
    plan: CarePlan, admin_client_: Client, priya_client: Client
) -> None:
    assert admin_client_.get(f"/staff/plans/{plan.pk}/").status_code == 200
    assert priya_client.get(f"/staff/plans/{plan.pk}/").status_code == 404


def test_staff_of_another_clinic_get_a_404(plan: CarePlan) -> None:
    clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    make_type(clinic, minutes=30, name="Elsewhere treatment")
    elsewhere = staff_client(make_practitioner(clinic, name="Sam Else").user)

    assert elsewhere.get(f"/staff/plans/{plan.pk}/").status_code == 404


def test_a_patient_cannot_open_the_staff_page(plan: CarePlan, patient: Patient) -> None:
    client = Client()
    client.force_login(patient.user)

    assert client.get(f"/staff/plans/{plan.pk}/").status_code == 302


def test_the_spanish_staff_page_has_no_english_left(plan: CarePlan, alex_client: Client) -> None:
    html = body(alex_client.get(f"/staff/plans/{plan.pk}/", headers={"accept-language": "es"}))

    assert english_left_in(html) == []


# --- The day view's flag -----------------------------------------------------------------------


def due_plan(desk: Desk, patient: Patient, *, seen_at: str = "09:00") -> CarePlan:
    """An active plan whose review date is today, with a baseline of 7 a week ago."""
    plan = active_plan(desk, patient, review_on=MONDAY, seen_at=seen_at)
    score(plan, "nprs", 7, desk.at("10:00", MONDAY - timedelta(days=7)))
    return plan


def test_the_day_view_flags_a_patient_not_improving_by_the_review_date(
    desk: Desk, patient: Patient, alex_client: Client
) -> None:
    plan = due_plan(desk, patient)
    score(plan, "nprs", 6, desk.at("08:30"))  # one point better: not meaningful
    book_plain(desk, patient, desk.at("15:00"))

    html = body(alex_client.get("/staff/today/"))

    assert FLAG in html and f'href="/staff/plans/{plan.pk}/"' in html


def test_no_score_after_the_baseline_is_not_improving(desk: Desk, patient: Patient, alex_client: Client) -> None:
    due_plan(desk, patient)
    book_plain(desk, patient, desk.at("15:00"))

    assert FLAG in body(alex_client.get("/staff/today/"))


def test_a_meaningful_improvement_is_not_flagged(desk: Desk, patient: Patient, alex_client: Client) -> None:
    plan = due_plan(desk, patient)
    score(plan, "nprs", 6, desk.at("08:00"))
    score(plan, "nprs", 4, desk.at("08:30"))  # the latest is 3 points better
    book_plain(desk, patient, desk.at("15:00"))

    assert FLAG not in body(alex_client.get("/staff/today/"))


def test_only_the_latest_score_counts(desk: Desk, patient: Patient, alex_client: Client) -> None:
    plan = due_plan(desk, patient)
    score(plan, "nprs", 4, desk.at("08:00"))
    score(plan, "nprs", 7, desk.at("08:30"))  # better for a while, then back where it started
    book_plain(desk, patient, desk.at("15:00"))

    assert FLAG in body(alex_client.get("/staff/today/"))


def test_a_plan_before_its_review_date_or_not_active_is_not_flagged(
    desk: Desk, patient: Patient, other_patient: Patient, alex_client: Client
) -> None:
    active_plan(desk, patient, review_on=MONDAY + timedelta(days=1))
    book_plain(desk, patient, desk.at("15:00"))
    paused = active_plan(desk, other_patient, review_on=MONDAY, seen_at="11:00")
    plan_services.change_status(plan=paused, to="on_hold", by=desk.alex.user)
    book_plain(desk, other_patient, desk.at("16:00"))

    assert FLAG not in body(alex_client.get("/staff/today/"))


def test_a_visit_with_another_practitioner_is_not_flagged(desk: Desk, patient: Patient, admin_client_: Client) -> None:
    due_plan(desk, patient)  # led by Alex
    book_plain(desk, patient, desk.at("15:00"), practitioner=desk.priya)

    assert FLAG not in body(admin_client_.get(f"/staff/today/?practitioner={desk.priya.pk}"))


def test_the_flags_cost_two_queries_however_many_plans(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    due_plan(desk, patient)
    plans = CarePlan.objects.all()
    with CaptureQueriesContext(connection) as one:
        assert len(not_improving(plans, MONDAY)) == 1
    second = due_plan(desk, other_patient, seen_at="11:00")
    score(second, "nprs", 3, desk.at("08:30"))
    with CaptureQueriesContext(connection) as two:
        assert len(not_improving(plans, MONDAY)) == 1

    assert len(one) == len(two) == 2
