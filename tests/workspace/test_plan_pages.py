"""The practitioner's plan-of-care pages: proposing a plan for a patient seen at the clinic
(field errors beside the fields and in a summary), the list they may see with its status
filter, and moving a plan's status through the moves care/plan_status.py allows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan, CarePlanStatusChange, PlanStatus
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.plans import seen
from tests.core.i18n import english_left_in
from tests.workspace.factories import Desk, body, book_plain, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NEW = "/staff/plans/new/"


def form_data(desk: Desk, patient: Patient, **changes: Any) -> dict[str, Any]:
    return {
        "patient": patient.pk,
        "problem": "Neck pain after long days at the desk",
        "body_region": "neck",
        "goal_1": "Turn my head when driving",
        "goal_2": "Sleep through the night",
        "goal_3": "Work at my desk for two hours",
        "sessions_planned": "4",
        "spacing_days": "7",
        "measures": ["nprs", "psfs"],
        "review_on": "2026-07-01",
        "appointment_type": str(desk.needling.pk),
        **changes,
    }


@pytest.fixture
def seen_patient(desk: Desk, patient: Patient) -> Patient:
    return seen(desk, patient)


def propose(client: Client, desk: Desk, patient: Patient, **changes: Any) -> CarePlan:
    response = client.post(NEW, form_data(desk, patient, **changes))
    assert response.status_code == 302, body(response)
    return CarePlan.objects.filter(patient=patient).latest("pk")


def test_a_practitioner_proposes_a_plan_and_finds_it_in_the_list(
    desk: Desk, alex_client: Client, seen_patient: Patient
) -> None:
    form = alex_client.get(f"{NEW}?patient={seen_patient.pk}")
    assert form.status_code == 200
    page = body(form)
    for label in ("Problem", "Body region", "Goal 1", "Goal 5", "Sessions planned", "Review date", "Treatment"):
        assert label in page
    assert "Numeric Pain Rating Scale" in page and "Patient-Specific Functional Scale" in page
    assert 'name="sessions_planned" value=' not in page  # no default session count offered

    response = alex_client.post(NEW, form_data(desk, seen_patient, goal_4="", goal_5=""))

    assert response["Location"] == "/staff/plans/"
    plan = CarePlan.objects.get(patient=seen_patient)
    assert (plan.practitioner, plan.status, plan.sessions_planned) == (desk.alex, PlanStatus.PROPOSED, 4)
    assert plan.goals == ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"]
    assert plan.created_by == desk.alex.user
    listed = body(alex_client.get("/staff/plans/"))
    assert seen_patient.legal_name in listed and f'href="/staff/plans/{plan.pk}/"' in listed
    assert "Neck" in listed and "1 July 2026" in listed and "Proposed" in listed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"sessions_planned": "0"}, "sessions_planned", "Choose a number from 1 to 20."),
        ({"sessions_planned": "21"}, "sessions_planned", "Choose a number from 1 to 20."),
        ({"sessions_planned": ""}, "sessions_planned", "Choose a number from 1 to 20."),
        ({"spacing_days": "61"}, "spacing_days", "Choose a number from 1 to 60."),
        ({"goal_3": ""}, "goal_1", "needs 3 to 5 activities; you gave 2."),
        ({"review_on": "2026-05-31"}, "review_on", "The review date cannot be in the past."),
        ({"body_region": "tail"}, "body_region", "Select a valid choice."),
        ({"problem": ""}, "problem", "Describe the problem."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_in_the_summary(
    desk: Desk, alex_client: Client, seen_patient: Patient, changes: dict[str, str], field: str, message: str
) -> None:
    response = alex_client.post(NEW, form_data(desk, seen_patient, **changes))

    page = body(response)
    assert response.status_code == 400
    assert 'class="error-summary"' in page and f'href="#id_{field}"' in page
    assert f'id="id_{field}-error"' in page and f'aria-describedby="id_{field}-error' in page.replace(
        f"id_{field}_helptext id_{field}-error", f"id_{field}-error"
    )
    assert message in page
    assert not CarePlan.objects.exists()


def test_goals_may_be_left_out_without_the_psfs(desk: Desk, alex_client: Client, seen_patient: Patient) -> None:
    plan = propose(alex_client, desk, seen_patient, goal_1="", goal_2="", goal_3="", measures=["nprs"])

    assert (plan.goals, plan.measures) == ([], ["nprs"])


def test_a_patient_never_seen_at_the_clinic_is_a_404(desk: Desk, alex_client: Client, other_patient: Patient) -> None:
    assert alex_client.get(f"{NEW}?patient={other_patient.pk}").status_code == 404
    assert alex_client.get(NEW).status_code == 404
    assert alex_client.post(NEW, form_data(desk, other_patient)).status_code == 404
    assert not CarePlan.objects.exists()


def test_staff_of_another_clinic_see_nothing(desk: Desk, alex_client: Client, seen_patient: Patient) -> None:
    plan = propose(alex_client, desk, seen_patient)
    clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    kind = make_type(clinic, minutes=30, name="Elsewhere treatment")
    sam = staff_client(make_practitioner(clinic, name="Sam Else").user)

    assert sam.get(f"{NEW}?patient={seen_patient.pk}").status_code == 404
    assert sam.post(NEW, form_data(desk, seen_patient, appointment_type=str(kind.pk))).status_code == 404
    assert seen_patient.legal_name not in body(sam.get("/staff/plans/"))
    assert sam.get(f"/staff/plans/{plan.pk}/status/").status_code == 404
    assert sam.post(f"/staff/plans/{plan.pk}/status/", {"to": "active"}).status_code == 404
    assert CarePlan.objects.get().status == PlanStatus.PROPOSED


def test_an_admin_who_does_not_treat_cannot_propose(desk: Desk, admin_client_: Client, seen_patient: Patient) -> None:
    response = admin_client_.get(f"{NEW}?patient={seen_patient.pk}")

    assert response.status_code == 403
    assert "Only a practitioner can propose a plan of care." in body(response)


def test_the_pages_need_the_second_factor(desk: Desk, client: Client, seen_patient: Patient) -> None:
    client.force_login(desk.alex.user, backend="django.contrib.auth.backends.ModelBackend")

    for url in ["/staff/plans/", f"{NEW}?patient={seen_patient.pk}", "/staff/plans/1/status/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/staff/signin/"), url
    assert client.post(NEW, form_data(desk, seen_patient)).status_code == 302
    assert not CarePlan.objects.exists()


def test_the_status_page_offers_only_the_allowed_moves_and_keeps_the_history(
    desk: Desk, alex_client: Client, seen_patient: Patient
) -> None:
    plan = propose(alex_client, desk, seen_patient)
    url = f"/staff/plans/{plan.pk}/status/"
    page = body(alex_client.get(url))
    assert 'value="active"' in page and 'value="stopped"' in page
    assert 'value="on_hold"' not in page and 'value="completed"' not in page

    refused = alex_client.post(url, {"to": "completed"})
    assert refused.status_code == 400 and 'href="#id_to_0"' in body(refused)

    moved = alex_client.post(url, {"to": "active", "note": "Agreed at the visit"})
    assert moved.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    change = CarePlanStatusChange.objects.get(plan=plan)
    assert (change.from_status, change.to_status, change.by, change.note) == (
        "proposed",
        "active",
        desk.alex.user,
        "Agreed at the visit",
    )
    page = body(alex_client.get(url))
    assert 'value="on_hold"' in page and 'value="completed"' in page and 'value="proposed"' not in page
    assert "Agreed at the visit" in page

    alex_client.post(url, {"to": "completed"})
    final = body(alex_client.get(url))
    assert "its status cannot change any more" in final and '<form method="post" class="stack"' not in final


def test_the_list_filters_by_status(desk: Desk, alex_client: Client, seen_patient: Patient) -> None:
    first = propose(alex_client, desk, seen_patient, problem="Stiff neck")
    propose(alex_client, desk, seen_patient, problem="Sore knee", body_region="knee")
    alex_client.post(f"/staff/plans/{first.pk}/status/", {"to": "active"})

    active = body(alex_client.get("/staff/plans/?status=active"))
    proposed = body(alex_client.get("/staff/plans/?status=proposed"))
    every = body(alex_client.get("/staff/plans/?status=nonsense"))

    assert "Stiff neck" in active and "Sore knee" not in active
    assert "Sore knee" in proposed and "Stiff neck" not in proposed
    assert "Stiff neck" in every and "Sore knee" in every


def test_the_appointment_page_links_its_practitioner_to_a_new_plan(
    desk: Desk, alex_client: Client, priya_client: Client, patient: Patient
) -> None:
    visit = book_plain(desk, patient, desk.at("10:00"))

    assert f'href="{NEW}?patient={patient.pk}"' in body(alex_client.get(f"/staff/appointments/{visit.pk}/"))
    assert "Plans of care" in body(alex_client.get("/staff/today/"))
    assert priya_client.get(f"/staff/appointments/{visit.pk}/").status_code == 404


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_pages_leave_no_english_in_spanish_or_french(
    desk: Desk, alex_client: Client, seen_patient: Patient, language: str
) -> None:
    plan = propose(alex_client, desk, seen_patient)
    alex_client.post(f"/staff/plans/{plan.pk}/status/", {"to": "active", "note": "Agreed"})
    desk.alex.user.language = language
    desk.alex.user.save(update_fields=["language"])
    speaker = staff_client(desk.alex.user)
    bad = speaker.post(NEW, form_data(desk, seen_patient, sessions_planned="21", goal_3="", review_on=""))
    assert bad.status_code == 400

    for page in [
        speaker.get("/staff/plans/"),
        speaker.get(f"{NEW}?patient={seen_patient.pk}"),
        bad,
        speaker.get(f"/staff/plans/{plan.pk}/status/"),
    ]:
        html = body(page)
        assert f'<html lang="{language}' in html
        assert english_left_in(html) == [], html
