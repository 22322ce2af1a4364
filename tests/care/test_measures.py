"""What is due and the patient's pages for answering it: a baseline first, a visit score after a
course visit (for 3 days), a discharge score once the plan is completed; NPRS as one accessible
0-10 radio group, PSFS one per goal in the patient's words, POST-redirect-GET to a result that
says whether the change is meaningful and names its source. In English, Spanish and French."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from care.builtin_instruments import FARRAR_2001
from care.models import CarePlan, OutcomeScore
from care.selectors.scores import due_measures
from care.services import change_status
from care.services.scores import record_score
from tests.accounts.sign_in import api_as
from tests.booking.pages import sign_in
from tests.care.score_world import GOALS, active_plan, course_visit
from tests.core.i18n import english_left_in
from tests.workspace.factories import MONDAY, NOW, Desk, body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    return active_plan(desk, patient)


@pytest.fixture
def pat(patient: Patient) -> Client:
    return sign_in(Client(), patient)


def due(plan: CarePlan) -> list[tuple[str, str, int | None]]:
    found = due_measures(plan, NOW)
    return [(d.instrument.code, d.timepoint.value, d.appointment.pk if d.appointment else None) for d in found]


def baselines(plan: CarePlan) -> None:
    actor = plan.patient.user
    record_score(plan, instrument="nprs", timepoint="baseline", answers={"pain": 7}, actor=actor)
    answers = dict.fromkeys(GOALS, 3)
    record_score(plan, instrument="psfs", timepoint="baseline", answers=answers, actor=actor)


def test_a_new_plan_asks_for_baselines(plan: CarePlan) -> None:
    assert due(plan) == [("nprs", "baseline", None), ("psfs", "baseline", None)]


def test_a_visit_score_is_due_after_a_course_visit_for_three_days(desk: Desk, plan: CarePlan) -> None:
    baselines(plan)
    visit = course_visit(desk, plan, desk.at("10:00", MONDAY - timedelta(days=2)))

    assert due(plan) == [("nprs", "visit", visit.pk), ("psfs", "visit", visit.pk)]
    actor = plan.patient.user
    record_score(plan, instrument="nprs", timepoint="visit", answers={"pain": 5}, actor=actor, appointment=visit)
    assert due(plan) == [("psfs", "visit", visit.pk)]
    assert due_measures(plan, NOW + timedelta(days=2)) == []  # four days after the visit


def test_a_visit_still_to_come_asks_for_nothing(desk: Desk, plan: CarePlan) -> None:
    baselines(plan)
    course_visit(desk, plan, desk.at("15:00"))

    assert due(plan) == []


def test_a_completed_plan_asks_for_the_discharge_scores(desk: Desk, plan: CarePlan) -> None:
    baselines(plan)
    done = change_status(plan=plan, to="completed", by=desk.alex.user)

    assert due(done) == [("nprs", "discharge", None), ("psfs", "discharge", None)]


def test_the_api_lists_what_is_due_with_the_goals_as_psfs_items(patient: Patient, plan: CarePlan) -> None:
    answer = api_as(patient).get(f"/api/v1/care-plans/{plan.pk}/measures", headers={"accept-language": "es"}).json()

    assert answer["due"][0] == {"instrument": "nprs", "timepoint": "baseline", "appointment": None}
    nprs, psfs = answer["instruments"]
    assert [a["words"] for a in nprs["items"][0]["anchors"]] == ["Sin dolor", "El peor dolor imaginable"]
    assert [item["id"] for item in psfs["items"]] == GOALS


def test_the_measures_page_links_to_each_answer(pat: Client, plan: CarePlan) -> None:
    page = body(pat.get(f"/care/plans/{plan.pk}/measures/"))

    assert f'href="/care/plans/{plan.pk}/measures/nprs/?timepoint=baseline"' in page
    assert f'href="/care/plans/{plan.pk}/measures/psfs/?timepoint=baseline"' in page


def test_nprs_is_one_radio_group_with_its_anchors(pat: Client, plan: CarePlan) -> None:
    page = body(pat.get(f"/care/plans/{plan.pk}/measures/nprs/?timepoint=baseline"))

    assert page.count("<fieldset") == 1 and "<legend>Numeric Pain Rating Scale</legend>" in page
    assert page.count('type="radio"') == 11
    assert "0: No pain" in page and "10: Worst pain imaginable" in page


def test_psfs_asks_each_goal_in_the_patients_words(pat: Client, plan: CarePlan) -> None:
    page = body(pat.get(f"/care/plans/{plan.pk}/measures/psfs/?timepoint=baseline"))

    assert page.count("<fieldset") == 3 and page.count('type="radio"') == 33
    assert all(f"<legend>{goal}</legend>" in page for goal in GOALS)
    assert "0: Unable to perform activity." in page
    assert "10: Able to perform activity at the same level as before injury or problem." in page


def test_answering_redirects_to_the_change_and_whether_it_is_meaningful(pat: Client, plan: CarePlan) -> None:
    url = f"/care/plans/{plan.pk}/measures/nprs/"
    pat.post(url, {"timepoint": "baseline", "a0": "8"})

    answered = pat.post(url, {"timepoint": "checkin", "a0": "5"})

    row = OutcomeScore.objects.get(timepoint="checkin")
    assert answered.status_code == 302
    assert answered["Location"] == f"/care/plans/{plan.pk}/measures/nprs/scores/{row.pk}/"
    result = body(pat.get(answered["Location"]))
    assert "At the start it was 8." in result and "That is 3 better than at the start (37.5%)." in result
    assert "This is a meaningful change." in result and FARRAR_2001 in result


def test_a_missing_answer_is_shown_next_to_its_question(pat: Client, plan: CarePlan) -> None:
    url = f"/care/plans/{plan.pk}/measures/psfs/"

    answered = pat.post(url, {"timepoint": "baseline", "a0": "3", "a1": "4"})

    assert answered.status_code == 400
    assert 'id="id_a2-error"' in body(answered)
    assert not OutcomeScore.objects.exists()


def test_a_second_baseline_on_the_page_says_so(pat: Client, plan: CarePlan) -> None:
    url = f"/care/plans/{plan.pk}/measures/nprs/"
    pat.post(url, {"timepoint": "baseline", "a0": "8"})

    again = pat.post(url, {"timepoint": "baseline", "a0": "6"})

    assert again.status_code == 409
    assert "already has a baseline" in body(again)


def test_another_patients_plan_page_is_a_404(other_patient: Patient, plan: CarePlan) -> None:
    olive = sign_in(Client(), other_patient)

    assert olive.get(f"/care/plans/{plan.pk}/measures/").status_code == 404
    assert olive.get(f"/care/plans/{plan.pk}/measures/nprs/").status_code == 404


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_pages_are_translated(pat: Client, plan: CarePlan, language: str) -> None:
    headers = {"accept-language": language}
    url = f"/care/plans/{plan.pk}/measures/"
    pat.post(f"{url}nprs/", {"timepoint": "baseline", "a0": "8"}, headers=headers)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        done = pat.post(f"{url}nprs/", {"timepoint": "checkin", "a0": "7"}, headers=headers)

    for page in (url, f"{url}psfs/?timepoint=baseline", done["Location"]):
        html = body(pat.get(page, headers=headers))
        assert english_left_in(html) == [], page
