"""The course of care on one page: sessions done and to come ("2 of 6"), sessions not booked
yet, scores per instrument with the meaningful-change band, adherence per week, side effects
from check-ins; a fixed number of queries however long the course; another patient's plan is a
404; the Spanish page has no English left."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Patient
from booking import services
from care.models import CarePlan, CourseVisit, HealthChangeAnswer
from care.selectors.course import CANCELLED, DONE, TO_COME, course_for
from care.symptoms import record_symptoms
from tests.care.course_data import active_plan, exercise_days, score, visit
from tests.core.i18n import english_left_in
from tests.workspace.factories import MONDAY, Desk, body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    """Two sessions done, one to come, one cancelled; NPRS 7 -> 6 -> 4; PSFS baseline only."""
    plan = active_plan(desk, patient)
    first = visit(desk, plan, desk.at("10:00", MONDAY - timedelta(days=14)), 1)
    second = visit(desk, plan, desk.at("10:00", MONDAY - timedelta(days=7)), 2)
    visit(desk, plan, desk.at("10:00", MONDAY + timedelta(days=7)), 3)
    dropped = visit(desk, plan, desk.at("10:00", MONDAY + timedelta(days=14)), 4)
    services.cancel_appointment(dropped, actor=patient.user, reason="away")
    score(plan, "nprs", 7, first.start)
    score(plan, "psfs", 3, first.start)
    score(plan, "nprs", 6, second.start)
    score(plan, "nprs", 4, desk.at("08:30"), timepoint="checkin")
    record_symptoms(second, pain_now=5, side_effects=["bruising", "soreness"], actor=patient.user)
    HealthChangeAnswer.objects.create(
        appointment=second, plan=plan, since=first.start.date(), changed=False, outcome="unchanged",
        answered_by=patient.user,
    )  # fmt: skip
    exercise_days(plan, MONDAY - timedelta(days=7), [MONDAY - timedelta(days=7 - i) for i in range(3)])
    return plan


def _patient_client(patient: Patient) -> Client:
    client = Client()
    client.force_login(patient.user)
    return client


def test_it_numbers_the_sessions_done_to_come_and_cancelled(plan: CarePlan) -> None:
    course = course_for(plan, today=MONDAY)

    assert [(v.number, v.of, v.state) for v in course.visits] == [
        (1, 6, DONE),
        (2, 6, DONE),
        (3, 6, TO_COME),
        (4, 6, CANCELLED),
    ]
    assert [v.start.strftime("%H:%M %Z") for v in course.visits] == ["10:00 BST"] * 4
    assert course.unbooked == 3  # six planned, three held or booked
    assert course.visits[1].health_change is not None and course.visits[1].health_change.outcome == "unchanged"


def test_it_gives_each_instruments_scores_with_change_and_meaning(plan: CarePlan) -> None:
    nprs, psfs = course_for(plan, today=MONDAY).instruments

    assert nprs.code == "nprs" and psfs.code == "psfs"
    assert [(p.score, p.change, p.meaningful) for p in nprs.points] == [(7, 0, False), (6, 1, False), (4, 3, True)]
    assert nprs.points[-1].change_percent == pytest.approx(42.9)
    assert nprs.points[-1].threshold_source.startswith("Farrar")
    assert nprs.chart.band == (5, 7)  # 2 points (less than 30% of 7) below the baseline
    assert [p.score for p in psfs.points] == [3] and psfs.chart.band == pytest.approx((3, 4.3))


def test_it_counts_adherence_per_week_and_the_check_in_side_effects(plan: CarePlan) -> None:
    course = course_for(plan, today=MONDAY)

    assert [(w.starts_on, w.prescribed, w.done) for w in course.adherence] == [
        (MONDAY - timedelta(days=7), 7, 3),
        (MONDAY, 1, 0),
    ]
    (report,) = course.side_effects
    assert (report.visit_number, report.pain_now, report.red_flag) == (2, 5, False)
    assert [str(e) for e in report.effects] == ["Bruising", "Soreness or aching"]


def test_the_patient_sees_the_course_with_its_chart_table_and_prompt(plan: CarePlan, patient: Patient) -> None:
    html = body(_patient_client(patient).get(f"/care/plans/{plan.pk}/"))

    assert "Turn my head when driving" in html
    assert "Times are the clinic's, in Europe/London." in html
    assert "Session 2 of 6" in html and "Monday 8 June, 10:00" in html
    assert "3 sessions are not booked yet." in html
    assert 'role="img"' in html and "<caption" in html and 'scope="row"' in html
    assert "Bruising, Soreness or aching" in html
    assert "Health since 18 May 2026: Nothing changed" in html


def test_the_patients_plans_are_listed_newest_first(desk: Desk, plan: CarePlan, patient: Patient) -> None:
    later = active_plan(desk, patient, measures=("nprs",), seen_at="11:00")
    html = body(_patient_client(patient).get("/care/plans/"))

    assert html.index(f"/care/plans/{later.pk}/") < html.index(f"/care/plans/{plan.pk}/")
    assert "Status: Active" in html


def test_another_patients_plan_is_a_404(plan: CarePlan, other_patient: Patient) -> None:
    assert _patient_client(other_patient).get(f"/care/plans/{plan.pk}/").status_code == 404
    assert f"/care/plans/{plan.pk}/" not in body(_patient_client(other_patient).get("/care/plans/"))


def test_signed_out_visitors_are_sent_to_sign_in(plan: CarePlan) -> None:
    response = Client().get(f"/care/plans/{plan.pk}/")

    assert response.status_code == 302 and response["Location"].startswith("/signin/")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_however_long_the_course(
    desk: Desk, plan: CarePlan, patient: Patient, other_patient: Patient
) -> None:
    client = _patient_client(patient)
    small = _queries(client, f"/care/plans/{plan.pk}/")
    for week in range(2, 8):
        when = desk.at("10:00", MONDAY + timedelta(days=7 * week + 7))
        visit(desk, plan, when, week + 3)
        score(plan, "nprs", 5, when)
        score(plan, "psfs", 5, when)
    bigger = _queries(client, f"/care/plans/{plan.pk}/")

    assert small == bigger == 10


def test_the_spanish_page_has_no_english_left(plan: CarePlan, patient: Patient) -> None:
    client = _patient_client(patient)
    for url in (f"/care/plans/{plan.pk}/", "/care/plans/"):
        html = body(client.get(url, headers={"accept-language": "es"}))
        assert 'lang="es"' in html
        assert english_left_in(html) == []


def test_my_appointments_links_to_the_courses_of_care(patient: Patient) -> None:
    html = body(_patient_client(patient).get("/appointments/"))

    assert 'href="/care/plans/"' in html and "Your courses of care" in html


def test_a_hold_that_ran_out_frees_its_session(desk: Desk, plan: CarePlan, patient: Patient) -> None:
    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        held = services.hold_appointment(
            patient, appointment_type=desk.plain, start=desk.at("10:00", MONDAY + timedelta(days=21)),
            practitioner=desk.alex,
        )  # fmt: skip
    CourseVisit.objects.create(plan=plan, appointment=held, number=5)

    course = course_for(plan, today=MONDAY)

    assert course.visits[-1].state == CANCELLED
    assert course.unbooked == 3
