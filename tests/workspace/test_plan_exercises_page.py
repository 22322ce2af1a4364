"""A plan's home exercise page for practitioners (/staff/plans/<pk>/exercises/): adding an
exercise from the clinic's library, changing its dose, stopping it, the weekly adherence table,
and who may do so."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan, Exercise, PlanExercise
from care.services import exercises as services
from care.services import plans as plan_services
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.course_data import active_plan
from tests.core.i18n import english_left_in
from tests.workspace.factories import MONDAY, NOW, Desk, body, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    return active_plan(desk, patient)


def library_exercise(desk: Desk, name: str = "Chin tucks", dose: tuple[int, int, int, int] = (3, 10, 5, 2)) -> Exercise:
    return services.create_exercise(
        clinic=desk.clinic,
        data=services.ExerciseInput(
            name=name,
            instructions="Sit tall. Gently draw your chin straight back.",
            dose=services.DoseInput(*dose),
            translations={"es": {"name": "Retracción de mentón", "instructions": "Siéntese recto."}},
        ),
        picture=None,
        actor=desk.alex.user,
    )


@pytest.fixture
def chin_tucks(desk: Desk) -> Exercise:
    return library_exercise(desk)


def url(plan: CarePlan) -> str:
    return f"/staff/plans/{plan.pk}/exercises/"


def add(client: Client, plan: CarePlan, exercise: Exercise, **fields: object) -> Any:
    data = {"exercise": exercise.pk, "sets": "", "repetitions": "", "hold_seconds": "", "times_a_day": "", **fields}
    return client.post(url(plan), data)


def test_an_exercise_added_with_empty_boxes_takes_the_library_dose(
    plan: CarePlan, chin_tucks: Exercise, alex_client: Client
) -> None:
    response = add(alex_client, plan, chin_tucks, repetitions="12", note="Slowly, please")

    assert response.status_code == 302 and response["Location"] == url(plan)
    row = PlanExercise.objects.get(plan=plan)
    assert (row.sets, row.repetitions, row.hold_seconds, row.times_a_day) == (3, 12, 5, 2)
    assert (row.start_on, row.note) == (MONDAY, "Slowly, please")
    html = body(alex_client.get(url(plan)))
    assert "Exercise added to the programme." in html
    assert "Chin tucks" in html and "3 sets of 12, hold 5 seconds, twice a day" in html
    assert "From 1 June 2026" in html


def test_the_form_offers_the_library_with_its_dose(plan: CarePlan, chin_tucks: Exercise, alex_client: Client) -> None:
    html = body(alex_client.get(url(plan)))

    assert "No exercises prescribed yet." in html
    assert "Chin tucks (library dose: 3 sets of 10, hold 5 seconds, twice a day)" in html
    assert 'for="id_sets"' in html and 'for="id_start_on"' in html


def test_a_start_date_later_shows_when_it_starts(plan: CarePlan, chin_tucks: Exercise, alex_client: Client) -> None:
    add(alex_client, plan, chin_tucks, start_on="2026-06-08")

    assert PlanExercise.objects.get(plan=plan).start_on == date(2026, 6, 8)
    assert "Starts on 8 June 2026" in body(alex_client.get(url(plan)))


def test_a_dose_out_of_range_is_shown_next_to_its_box(
    plan: CarePlan, chin_tucks: Exercise, alex_client: Client
) -> None:
    response = add(alex_client, plan, chin_tucks, sets="0", repetitions="101")

    assert response.status_code == 400
    html = body(response)
    assert "There is a problem" in html
    assert '<p class="field-error" id="id_sets-error">Choose a number from 1 to 10.</p>' in html
    assert '<p class="field-error" id="id_repetitions-error">Choose a number from 1 to 100.</p>' in html
    assert 'aria-describedby="id_sets-error"' in html and 'href="#id_repetitions"' in html
    assert not PlanExercise.objects.exists()


def test_the_dose_changes_and_the_exercise_stops(
    plan: CarePlan, chin_tucks: Exercise, desk: Desk, alex_client: Client
) -> None:
    row = services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user)
    prefix = f"dose-{row.pk}"
    dose = {
        f"{prefix}-sets": "2",
        f"{prefix}-repetitions": "8",
        f"{prefix}-hold_seconds": "0",
        f"{prefix}-times_a_day": "1",
    }

    response = alex_client.post(f"{url(plan)}{row.pk}/dose/", dose)

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.sets, row.repetitions, row.hold_seconds, row.times_a_day) == (2, 8, 0, 1)
    html = body(alex_client.get(url(plan)))
    assert "Dose changed." in html and "2 sets of 8, once a day" in html

    assert alex_client.post(f"{url(plan)}{row.pk}/stop/").status_code == 302
    row.refresh_from_db()
    assert row.stopped_on == MONDAY
    html = body(alex_client.get(url(plan)))
    assert "Exercise stopped: today is its last day." in html
    assert "From 1 June 2026, stopped on 1 June 2026" in html
    assert f"{row.pk}/dose/" not in html, "a stopped exercise's dose no longer changes"


def test_a_wrong_dose_change_keeps_its_form_open_with_the_error(
    plan: CarePlan, chin_tucks: Exercise, desk: Desk, alex_client: Client
) -> None:
    row = services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user)
    prefix = f"dose-{row.pk}"
    dose = {
        f"{prefix}-sets": "0",
        f"{prefix}-repetitions": "101",
        f"{prefix}-hold_seconds": "0",
        f"{prefix}-times_a_day": "1",
    }

    response = alex_client.post(f"{url(plan)}{row.pk}/dose/", dose)

    assert response.status_code == 400
    html = body(response)
    assert '<details class="dose-change" open>' in html
    assert f'id="id_{prefix}-sets-error">Choose a number from 1 to 10.' in html
    assert f'id="id_{prefix}-repetitions-error">Choose a number from 1 to 100.' in html
    assert f'href="#id_{prefix}-sets"' in html
    row.refresh_from_db()
    assert (row.sets, row.repetitions) == (3, 10)


def test_another_clinics_plan_is_a_404(plan: CarePlan, chin_tucks: Exercise, desk: Desk) -> None:
    row = services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user)
    clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    make_type(clinic, minutes=30, name="Elsewhere treatment")
    elsewhere = staff_client(make_practitioner(clinic, name="Sam Else").user)

    assert elsewhere.get(url(plan)).status_code == 404
    assert add(elsewhere, plan, chin_tucks).status_code == 404
    assert elsewhere.post(f"{url(plan)}{row.pk}/stop/").status_code == 404
    row.refresh_from_db()
    assert row.stopped_on is None


def test_a_colleagues_plan_is_a_404_and_a_patient_is_sent_to_sign_in(
    plan: CarePlan, priya_client: Client, patient: Patient
) -> None:
    assert priya_client.get(url(plan)).status_code == 404
    client = Client()
    client.force_login(patient.user)
    assert client.get(url(plan)).status_code == 302


def test_a_session_without_the_second_factor_is_sent_to_verify(
    plan: CarePlan, chin_tucks: Exercise, desk: Desk
) -> None:
    client = Client()
    client.force_login(desk.alex.user)

    assert client.get(url(plan)).status_code == 302
    assert add(client, plan, chin_tucks).status_code == 302
    assert not PlanExercise.objects.exists()


def test_a_closed_plan_refuses_with_the_services_words(
    plan: CarePlan, chin_tucks: Exercise, desk: Desk, alex_client: Client
) -> None:
    row = services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user)
    plan_services.change_status(plan=plan, to="completed", by=desk.alex.user)

    response = add(alex_client, plan, chin_tucks)

    assert response.status_code == 302
    assert PlanExercise.objects.filter(plan=plan).count() == 1
    html = body(alex_client.get(url(plan)))
    assert "This plan of care is closed." in html
    assert "This plan of care is closed: its exercises can no longer change." in html
    assert "Add the exercise" not in html and f"{row.pk}/stop/" not in html
    assert alex_client.post(f"{url(plan)}{row.pk}/stop/").status_code == 302
    row.refresh_from_db()
    assert row.stopped_on is None


def test_adherence_per_week_on_a_known_calendar(
    plan: CarePlan, desk: Desk, patient: Patient, alex_client: Client, time_machine: time_machine.TimeMachineFixture
) -> None:
    # From Monday 25 May (London): chin tucks every day, neck turns from Thursday 28 May.
    time_machine.move_to(NOW - timedelta(days=7), tick=False)
    tucks = library_exercise(desk)
    turns = library_exercise(desk, "Neck turns", (2, 5, 0, 1))
    add(alex_client, plan, tucks)
    add(alex_client, plan, turns, start_on="2026-05-28")
    first, second = PlanExercise.objects.filter(plan=plan).order_by("position")
    time_machine.move_to(NOW, tick=False)  # Monday 1 June, 09:00 in London
    for day in (25, 26, 27):
        services.tick(first, day=date(2026, 5, day), actor=patient.user)
    services.tick(second, day=date(2026, 5, 30), actor=patient.user)
    services.tick(second, day=date(2026, 6, 1), actor=patient.user)

    html = body(alex_client.get(url(plan)))

    # Week of 25 May: 7 + 4 exercise-days prescribed, 4 done; week of 1 June: 2 so far, 1 done.
    assert '<time datetime="2026-05-25">25 May 2026</time></th><td>4 of 11</td><td>36%</td>' in html
    assert '<time datetime="2026-06-01">1 June 2026</time></th><td>1 of 2</td><td>50%</td>' in html


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_page_in_spanish_or_french_has_no_english_left(
    plan: CarePlan, chin_tucks: Exercise, desk: Desk, alex_client: Client, language: str
) -> None:
    services.prescribe(plan, exercise=chin_tucks, actor=desk.alex.user, note="")
    services.tick(PlanExercise.objects.get(plan=plan), actor=plan.patient.user)
    html = body(alex_client.get(url(plan), headers={"accept-language": language}))

    assert ("Retracción de mentón" in html) is (language == "es"), "the clinic's own Spanish name"
    assert english_left_in(html) == []


def test_the_spanish_errors_have_no_english_left(plan: CarePlan, chin_tucks: Exercise, alex_client: Client) -> None:
    data = {"exercise": chin_tucks.pk, "sets": "0", "repetitions": "101", "hold_seconds": "", "times_a_day": ""}
    response = alex_client.post(url(plan), data, headers={"accept-language": "es"})

    assert response.status_code == 400
    assert english_left_in(body(response)) == []


def test_the_course_page_and_the_plans_list_link_here(plan: CarePlan, alex_client: Client) -> None:
    assert f'href="{url(plan)}"' in body(alex_client.get(f"/staff/plans/{plan.pk}/"))
    assert f'href="/staff/plans/{plan.pk}/"' in body(alex_client.get("/staff/plans/"))
