"""Recording outcome scores: the raw answers, the baseline, the absolute and percentage change
and the meaningful-change flag with its source (FACTS.md section 6), and the timepoint rules.
Bad answers are 400 field errors, a second baseline a 409, another patient's plan a 404."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from care.builtin_instruments import ABBOTT_SCHMITT_2014, CLELAND_2008, FARRAR_2001
from care.errors import InvalidInput
from care.models import CarePlan, OutcomeScore
from care.services import change_status
from care.services.scores import ScoreConflict, record_score
from tests.accounts.sign_in import api_as
from tests.care.score_world import GOALS, active_plan, course_visit, post
from tests.workspace.factories import MONDAY, Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    return active_plan(desk, patient)


def nprs(plan: CarePlan, pain: int, timepoint: str = "checkin") -> OutcomeScore:
    return record_score(plan, instrument="nprs", timepoint=timepoint, answers={"pain": pain}, actor=plan.patient.user)


def psfs(plan: CarePlan, ratings: list[int], timepoint: str = "checkin") -> OutcomeScore:
    answers = dict(zip(GOALS, ratings, strict=True))
    return record_score(plan, instrument="psfs", timepoint=timepoint, answers=answers, actor=plan.patient.user)


def test_the_baseline_keeps_its_raw_answers_and_is_its_own_baseline(plan: CarePlan) -> None:
    row = psfs(plan, [2, 3, 5], "baseline")

    assert row.answers == dict(zip(GOALS, [2, 3, 5], strict=True))
    assert (row.score, row.baseline, row.change, row.change_percent) == (
        Decimal("3.33"),
        Decimal("3.33"),
        Decimal("0.00"),
        Decimal("0.0"),
    )
    assert not row.meaningful
    assert (row.threshold, row.threshold_source) == ("small", ABBOTT_SCHMITT_2014)


def test_nprs_improving_by_two_points_is_meaningful_by_farrar(plan: CarePlan) -> None:
    nprs(plan, 8, "baseline")

    row = nprs(plan, 6)

    assert (row.score, row.baseline, row.change, row.change_percent) == (6, 8, 2, Decimal("25.0"))
    assert row.meaningful
    assert (row.threshold, row.threshold_source) == ("farrar-2001", FARRAR_2001)


def test_nprs_by_thirty_percent_is_meaningful_though_under_two_points(plan: CarePlan) -> None:
    nprs(plan, 3, "baseline")

    row = nprs(plan, 2)  # one point, 33% of the baseline

    assert (row.change, row.change_percent, row.meaningful) == (1, Decimal("33.3"), True)


def test_nprs_one_point_from_eight_is_not_meaningful_and_worse_is_negative(plan: CarePlan) -> None:
    nprs(plan, 8, "baseline")

    assert not nprs(plan, 7).meaningful
    worse = nprs(plan, 9)
    assert (worse.change, worse.change_percent, worse.meaningful) == (-1, Decimal("-12.5"), False)


def test_a_neck_plan_judges_nprs_by_cleland_1_3_points(desk: Desk, patient: Patient) -> None:
    neck = active_plan(desk, patient, region="neck")
    nprs(neck, 8, "baseline")

    row = nprs(neck, 6)

    assert (row.threshold, row.threshold_source, row.meaningful) == ("cleland-2008-neck", CLELAND_2008, True)
    assert not nprs(neck, 7).meaningful  # 1 point, 12.5%: under 1.3 points


def test_psfs_reaches_the_small_change_at_1_3_points(plan: CarePlan) -> None:
    psfs(plan, [2, 3, 5], "baseline")  # 3.33...

    assert psfs(plan, [3, 5, 6]).meaningful  # 4.67: +1.33 from the raw baseline
    row = psfs(plan, [3, 4, 6])  # 4.33: +1.0
    assert (row.change, row.meaningful) == (Decimal("1.00"), False)


def test_a_score_before_the_baseline_is_refused(plan: CarePlan) -> None:
    with pytest.raises(ScoreConflict) as refused:
        nprs(plan, 5)

    assert refused.value.code == "no_baseline"


def test_a_visit_score_names_a_visit_of_the_course_once(desk: Desk, plan: CarePlan) -> None:
    nprs(plan, 7, "baseline")
    visit = course_visit(desk, plan, desk.at("10:00", MONDAY - timedelta(days=1)))
    args: dict[str, Any] = {
        "instrument": "nprs",
        "timepoint": "visit",
        "answers": {"pain": 5},
        "actor": plan.patient.user,
    }

    with pytest.raises(InvalidInput) as unnamed:
        record_score(plan, **args)
    row = record_score(plan, **args, appointment=visit)
    with pytest.raises(ScoreConflict) as twice:
        record_score(plan, **args, appointment=visit)

    assert "appointment" in unnamed.value.fields
    assert (row.appointment, row.change) == (visit, 2)
    assert twice.value.code == "visit_scored"


def test_a_proposed_plan_takes_a_baseline_only(desk: Desk, patient: Patient) -> None:
    proposed = active_plan(desk, patient, activate=False)
    nprs(proposed, 6, "baseline")

    with pytest.raises(ScoreConflict) as refused:
        nprs(proposed, 4)

    assert refused.value.code == "plan_not_open"


def test_the_patient_posts_a_score_and_reads_it_back(patient: Patient, plan: CarePlan) -> None:
    api = api_as(patient)
    url = f"/api/v1/care-plans/{plan.pk}/scores"

    first = post(api, url, {"instrument": "nprs", "timepoint": "baseline", "answers": {"pain": 6}})
    second = post(api, url, {"instrument": "nprs", "timepoint": "checkin", "answers": {"pain": 3}})

    assert first.status_code == 201, first.content
    body = second.json()
    assert (body["score"], body["baseline"], body["change"], body["change_percent"]) == (3, 6, 3, 50)
    assert (body["meaningful"], body["threshold_source"], body["answers"]) == (True, FARRAR_2001, {"pain": 3})
    listed = api.get(url).json()
    assert [s["timepoint"] for s in listed] == ["baseline", "checkin"]


def test_a_second_baseline_is_a_409_not_a_500(patient: Patient, plan: CarePlan) -> None:
    api, url = api_as(patient), f"/api/v1/care-plans/{plan.pk}/scores"
    body = {"instrument": "nprs", "timepoint": "baseline", "answers": {"pain": 6}}
    post(api, url, body)

    again = post(api, url, body)

    assert again.status_code == 409
    assert again.json()["code"] == "baseline_exists"
    assert OutcomeScore.objects.count() == 1


@pytest.mark.parametrize(
    ("instrument", "answers", "field", "words"),
    [
        ("nprs", {"pain": 11}, "answers.pain", "from 0 to 10"),
        ("nprs", {"pain": -1}, "answers.pain", "from 0 to 10"),
        ("nprs", {}, "answers.pain", "Answer this question"),
        ("nprs", {"pain": 3, "mood": 2}, "answers.mood", "No such question"),
        ("nprs", {"pain": "3"}, "answers.pain", "valid integer"),
        ("psfs", {GOALS[0]: 4, GOALS[1]: 5}, f"answers.{GOALS[2]}", "Rate this activity"),
        ("psfs", {GOALS[0]: 4, GOALS[1]: 5, GOALS[2]: 5, "Run": 2}, "answers.Run", "not one of your plan's goals"),
        ("odi", {"item1": 1}, "instrument", "does not track"),
    ],
)
def test_bad_answers_are_400_field_errors(
    patient: Patient, plan: CarePlan, instrument: str, answers: dict[str, object], field: str, words: str
) -> None:
    response = post(
        api_as(patient),
        f"/api/v1/care-plans/{plan.pk}/scores",
        {"instrument": instrument, "timepoint": "baseline", "answers": answers},
    )

    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()["fields"][field])
    assert not OutcomeScore.objects.exists()


def test_another_patients_plan_is_a_404(other_patient: Patient, plan: CarePlan) -> None:
    olive = api_as(other_patient)
    url = f"/api/v1/care-plans/{plan.pk}"

    assert olive.get(f"{url}/scores").status_code == 404
    assert olive.get(f"{url}/measures").status_code == 404
    body = {"instrument": "nprs", "timepoint": "baseline", "answers": {"pain": 1}}
    assert post(olive, f"{url}/scores", body).status_code == 404


def test_the_practitioner_records_a_score_given_in_clinic(desk: Desk, plan: CarePlan) -> None:
    alex = staff_client(desk.alex.user)
    url = f"/api/v1/staff/care-plans/{plan.pk}/scores"

    made = post(alex, url, {"instrument": "psfs", "timepoint": "baseline", "answers": dict.fromkeys(GOALS, 4)})

    assert made.status_code == 201, made.content
    assert OutcomeScore.objects.get().answered_by == desk.alex.user
    assert [s["score"] for s in alex.get(url).json()] == [4]


def test_staff_of_another_clinic_get_a_404(plan: CarePlan, stranger: APIClient) -> None:
    from tests.booking.factories import make_clinic, make_practitioner

    elsewhere = make_clinic(name="Elsewhere", slug="elsewhere")
    sam = staff_client(make_practitioner(elsewhere, name="Sam Else").user)

    assert sam.get(f"/api/v1/staff/care-plans/{plan.pk}/scores").status_code == 404


def test_a_completed_plan_takes_one_discharge_score_and_no_more_check_ins(desk: Desk, plan: CarePlan) -> None:
    nprs(plan, 8, "baseline")
    done = change_status(plan=plan, to="completed", by=desk.alex.user)

    final = nprs(done, 3, "discharge")
    with pytest.raises(ScoreConflict) as twice:
        nprs(done, 2, "discharge")
    with pytest.raises(ScoreConflict) as closed:
        nprs(done, 2)

    assert (final.timepoint, final.change, final.meaningful) == ("discharge", 5, True)
    assert (twice.value.code, closed.value.code) == ("discharge_exists", "plan_not_open")
