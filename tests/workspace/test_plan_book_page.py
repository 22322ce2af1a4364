"""The practitioner books a plan's remaining sessions for the patient (/staff/plans/<pk>/book/):
a weekday and time (GET), the proposal with moved visits and why, then a confirmation
(POST-redirect-GET to the course page). Needling needs the patient's covering consent and, on
the patient's word, the practitioner's tick that nothing changed in their health."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from care.models import CarePlan, CourseVisit
from care.services import series
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.series_helpers import live_course, make_plan
from tests.core.i18n import english_left_in
from tests.workspace.factories import CLEAR, Desk, body, book_plain, screen_and_sign, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
CHOICE = {"weekday": "1", "time": "14:00"}  # Tuesdays at 14:00


def page(plan: CarePlan) -> str:
    return f"/staff/plans/{plan.pk}/book/"


def confirm_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def covered_needling_plan(desk: Desk, patient: Patient) -> CarePlan:
    """A needling course whose first visit the patient booked and signed for with Alex."""
    plan = make_plan(desk, patient, kind=desk.needling, sessions_planned=3)
    first = series.book_series(plan, actor=patient.user, weekday=1, time_of_day=time(14))
    assert first.needs_consent is not None
    screen_and_sign(desk, patient, first.needs_consent, CLEAR, visit_day=date(2026, 6, 2))
    return plan


def test_the_course_page_links_here_while_sessions_are_unbooked(
    desk: Desk, patient: Patient, alex_client: Client
) -> None:
    plan = make_plan(desk, patient)
    html = body(alex_client.get(f"/staff/plans/{plan.pk}/"))
    assert f'href="{page(plan)}"' in html
    assert "Book the remaining sessions for the patient" in html


def test_the_proposal_marks_a_moved_visit_and_says_why(
    desk: Desk, patient: Patient, other_patient: Patient, alex_client: Client
) -> None:
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 9)))
    plan = make_plan(desk, patient, sessions_planned=3)
    first = body(alex_client.get(page(plan)))
    assert "3 sessions are not booked yet." in first and "Proposed visits" not in first
    assert '<label for="id_weekday">' in first and '<label for="id_time">' in first

    html = body(alex_client.get(page(plan), CHOICE))
    assert "Proposed visits" in html
    assert html.count("Moved") == 1 and "14:00 on Tuesday 9 June is not free" in html
    assert "Book these visits for the patient" in html
    assert not Appointment.objects.filter(patient=patient).exists()


def test_confirming_books_every_session_and_returns_to_the_course_page(
    desk: Desk, patient: Patient, alex_client: Client
) -> None:
    plan = make_plan(desk, patient, sessions_planned=3)
    shown = body(alex_client.get(page(plan), CHOICE))
    answer = alex_client.post(page(plan), confirm_fields(shown))
    assert answer.status_code == 302 and answer["Location"] == f"/staff/plans/{plan.pk}/"
    visits = live_course(plan)
    assert len(visits) == 3 and {a.status for a in visits} == {Appointment.Status.CONFIRMED}
    assert sorted(CourseVisit.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2, 3]
    after = body(alex_client.get(answer["Location"]))
    assert "3 visits are booked for the patient." in after
    assert f'href="{page(plan)}"' not in after, "nothing is left to book"


def test_a_bad_choice_is_a_400_with_the_field_error(desk: Desk, patient: Patient, alex_client: Client) -> None:
    plan = make_plan(desk, patient)
    answer = alex_client.get(page(plan), {"weekday": "9", "time": "late"})
    assert answer.status_code == 400
    assert "There is a problem" in body(answer) and "Enter a time such as 14:00." in body(answer)


def test_covered_needling_needs_the_health_tick(desk: Desk, patient: Patient, alex_client: Client) -> None:
    plan = covered_needling_plan(desk, patient)
    shown = body(alex_client.get(page(plan), CHOICE))
    assert "The patient's consent to dry needling from 1 June 2026 covers these visits" in shown
    assert re.search(r'<input type="checkbox" name="health_unchanged"[^>]* required', shown)

    without = alex_client.post(page(plan), confirm_fields(shown))
    assert without.status_code == 400
    assert "Tick this box only if the patient has told you so." in body(without)
    assert len(live_course(plan)) == 1

    answer = alex_client.post(page(plan), {**confirm_fields(shown), "health_unchanged": "on"})
    assert answer.status_code == 302 and answer["Location"] == f"/staff/plans/{plan.pk}/"
    visits = live_course(plan)
    assert len(visits) == 3 and {a.status for a in visits} == {Appointment.Status.CONFIRMED}
    assert len({a.consent_id for a in visits}) == 1
    assert "2 visits are booked for the patient." in body(alex_client.get(answer["Location"]))


def test_needling_without_consent_explains_and_books_nothing(desk: Desk, patient: Patient, alex_client: Client) -> None:
    plan = make_plan(desk, patient, kind=desk.needling, sessions_planned=3)
    shown = body(alex_client.get(page(plan), CHOICE))
    assert "The patient has no signed consent to dry needling with Alex Morgan" in shown
    assert "The patient must answer the health questions and sign the consent form themselves" in shown
    assert f'action="{page(plan)}"' in shown and "Book these visits" not in shown

    # A stale or hand-made POST is refused by the service, with its message.
    starts = ",".join(
        v.start.isoformat() for v in series.propose_series(plan, weekday=1, time_of_day=time(14)).visits if v.start
    )
    answer = alex_client.post(page(plan), {**CHOICE, "starts": starts})
    assert answer.status_code == 302
    assert "The patient has no consent to dry needling with this practitioner yet" in body(
        alex_client.get(answer["Location"])
    )
    assert not Appointment.objects.filter(patient=patient).exists()


def test_other_clinics_and_colleagues_get_a_404(
    desk: Desk, patient: Patient, priya_client: Client, admin_client_: Client
) -> None:
    plan = make_plan(desk, patient)
    clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    make_type(clinic, minutes=30, name="Elsewhere treatment")
    elsewhere = staff_client(make_practitioner(clinic, name="Sam Else").user)
    assert elsewhere.get(page(plan)).status_code == 404
    assert elsewhere.post(page(plan), CHOICE).status_code == 404
    assert priya_client.get(page(plan)).status_code == 404
    assert admin_client_.get(page(plan)).status_code == 200
    assert not Appointment.objects.filter(patient=patient).exists()


def test_a_patient_cannot_open_it(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient)
    client = Client()
    client.force_login(patient.user)
    assert client.get(page(plan)).status_code == 302


def test_the_spanish_page_has_no_english_left(
    desk: Desk, patient: Patient, other_patient: Patient, alex_client: Client
) -> None:
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 9)))
    plan = covered_needling_plan(desk, patient)
    html = body(alex_client.get(page(plan), CHOICE, headers={"accept-language": "es"}))
    assert "Proposed visits" not in html and 'name="health_unchanged"' in html
    assert english_left_in(html) == []
