"""The patient ticks today's exercises off: once a day however often they tap, on the clinic's
date, only while the exercise is prescribed, and only on their own plan."""

# Fixtures come from tests/care/exercise_fixtures.py by import; pytest sees them as arguments.
# ruff: noqa: F811
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan, PlanExercise
from care.services import exercises as services
from tests.accounts.sign_in import api_as
from tests.care.exercise_fixtures import alex, chin_tucks, log_days, plan, prescribed  # noqa: F401
from tests.workspace.factories import Desk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
TODAY = date(2026, 6, 1)  # NOW is 09:00 in London


def done_url(plan: CarePlan, row: PlanExercise) -> str:
    return f"/api/v1/care-plans/{plan.pk}/exercises/{row.pk}/done"


def test_a_tick_twice_counts_once(patient: Patient, plan: CarePlan, prescribed: PlanExercise) -> None:
    api = api_as(patient)

    first = api.put(done_url(plan, prescribed))
    second = api.put(done_url(plan, prescribed))

    assert first.status_code == second.status_code == 200
    assert first.json() == {"id": prescribed.pk, "day": "2026-06-01", "done": True}
    assert log_days(prescribed) == [TODAY]
    today = api.get(f"/api/v1/care-plans/{plan.pk}/exercises/today").json()
    assert [item["done"] for item in today["exercises"]] == [True]


def test_an_untick_takes_the_tick_back_and_a_second_untick_changes_nothing(
    patient: Patient, plan: CarePlan, prescribed: PlanExercise
) -> None:
    api = api_as(patient)
    api.put(done_url(plan, prescribed))

    assert api.delete(done_url(plan, prescribed)).json()["done"] is False
    assert api.delete(done_url(plan, prescribed)).status_code == 200
    assert log_days(prescribed) == []


def test_a_tick_on_a_stopped_exercise_is_refused(
    patient: Patient, plan: CarePlan, prescribed: PlanExercise, desk: Desk
) -> None:
    # Prescribed from 30 May, stopped on 31 May (its last day): not on the programme on 1 June.
    PlanExercise.objects.filter(pk=prescribed.pk).update(start_on=date(2026, 5, 30))
    services.stop_prescription(prescribed, actor=desk.alex.user, now=datetime(2026, 5, 31, 12, tzinfo=UTC))

    response = api_as(patient).put(done_url(plan, prescribed))

    assert response.status_code == 409
    assert response.json()["code"] == "not_prescribed_that_day"
    assert log_days(prescribed) == []


def test_stopping_today_leaves_today_on_the_programme_and_no_day_after(
    plan: CarePlan, prescribed: PlanExercise, desk: Desk
) -> None:
    stopped = services.stop_prescription(prescribed, actor=desk.alex.user)
    assert stopped is not None and stopped.stopped_on == TODAY

    services.tick(prescribed, actor=desk.alex.user)
    with pytest.raises(services.NotPrescribedThatDay):
        services.tick(prescribed, actor=desk.alex.user, now=datetime(2026, 6, 2, 9, tzinfo=UTC))


def test_another_patients_plan_and_exercise_are_404(
    other_patient: Patient, plan: CarePlan, prescribed: PlanExercise
) -> None:
    olive = api_as(other_patient)

    assert olive.put(done_url(plan, prescribed)).status_code == 404
    assert olive.delete(done_url(plan, prescribed)).status_code == 404
    assert olive.get(f"/api/v1/care-plans/{plan.pk}/exercises/today").status_code == 404
    assert olive.get(f"/api/v1/care-plans/{plan.pk}/exercise-reminder").status_code == 404
    assert log_days(prescribed) == []


def test_a_prescription_of_another_plan_is_404_on_the_patients_own_plan(
    patient: Patient, plan: CarePlan, prescribed: PlanExercise, alex: Client, desk: Desk
) -> None:
    from tests.care.plans import propose

    second = propose(alex, desk, patient, body_region="knee", measures=["nprs"], goals=[])

    assert api_as(patient).put(f"/api/v1/care-plans/{second['id']}/exercises/{prescribed.pk}/done").status_code == 404


def test_the_day_is_the_clinics_late_in_the_evening(plan: CarePlan, prescribed: PlanExercise, desk: Desk) -> None:
    # 23:30 in London on 1 June is 22:30 UTC: still 1 June for the patient.
    services.tick(prescribed, actor=desk.alex.user, now=datetime(2026, 6, 1, 22, 30, tzinfo=UTC))
    # 00:30 in London on 2 June is 23:30 UTC on 1 June: already the next day.
    services.tick(prescribed, actor=desk.alex.user, now=datetime(2026, 6, 1, 23, 30, tzinfo=UTC))

    assert log_days(prescribed) == [date(2026, 6, 1), date(2026, 6, 2)]


def test_a_future_day_or_one_before_the_start_cannot_be_ticked(prescribed: PlanExercise, desk: Desk) -> None:
    for day in (date(2026, 6, 2), date(2026, 5, 31)):
        with pytest.raises(services.NotPrescribedThatDay):
            services.tick(prescribed, actor=desk.alex.user, day=day)


def test_a_closed_plans_programme_stays_as_it_was(plan: CarePlan, prescribed: PlanExercise, desk: Desk) -> None:
    CarePlan.objects.filter(pk=plan.pk).update(status="completed")
    with pytest.raises(services.PlanClosed):
        services.change_dose(prescribed, dose=services.DoseInput.of(prescribed.exercise), actor=desk.alex.user)
    with pytest.raises(services.PlanClosed):
        services.stop_prescription(prescribed, actor=desk.alex.user)
    assert PlanExercise.objects.get(pk=prescribed.pk).stopped_on is None
