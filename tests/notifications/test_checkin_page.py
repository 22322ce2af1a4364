"""The check-in page a patient opens from the email: no sign-in, a signed link that expires."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner, SymptomReport
from notifications.checkin import make_token
from notifications.models import Kind, Notification
from tests.booking.factories import insert_appointment, local, make_type

pytestmark = pytest.mark.django_db
VISIT_DAY = date(2026, 6, 1)
SENT_AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)  # the check-in email, two days later


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(SENT_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def appointment(patient: Patient, clinic: Clinic, physio: Practitioner) -> Appointment:
    needling = make_type(clinic, minutes=30, needling=True, name="Dry needling")
    return insert_appointment(
        patient, physio, needling, local(clinic, VISIT_DAY, "10:00"), status=Appointment.Status.COMPLETED
    )


@pytest.fixture
def url(appointment: Appointment) -> str:
    return f"/checkin/{make_token(appointment)}/"


def answer(client: Client, url: str, **data: Any) -> Any:
    return client.post(url, {"pain_now": "3", "side_effects": [], "notes": "", **data})


def test_the_page_asks_for_pain_and_side_effects(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>How much pain do you have now?</legend>" in html
    assert html.count('type="radio" name="pain_now"') == 11
    assert 'for="id_side_effects_0"' in html
    assert 'src="/static/js/checkin.js"' in html
    assert "<script>" not in html, "no inline script under the CSP"
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_answer_is_recorded_and_thanked_for(client: Client, url: str, appointment: Appointment) -> None:
    response = answer(client, url, pain_now="3", side_effects=["bruising", "soreness"], notes="Stiff")

    assert response.status_code == 302
    assert response["Location"] == f"{url}done/"
    report = SymptomReport.objects.get(appointment=appointment)
    assert (report.pain_now, report.side_effects, report.notes, report.red_flag) == (
        3,
        ["bruising", "soreness"],
        "Stiff",
        False,
    )
    done = client.get(response["Location"])
    assert "Thank you" in done.content.decode()
    assert 'role="alert"' not in done.content.decode()
    assert not Notification.objects.filter(kind=Kind.PRACTITIONER_ALERT).exists()


def test_a_red_flag_shows_emergency_advice_and_alerts_the_practitioner(
    client: Client, url: str, appointment: Appointment
) -> None:
    response = answer(client, url, pain_now="5", side_effects=["breathlessness"])

    done = client.get(response["Location"]).content.decode()
    assert '<div class="notice notice--stop" role="alert">' in done
    assert "Get emergency care now" in done
    assert "Call emergency services" in done
    alert = Notification.objects.get(kind=Kind.PRACTITIONER_ALERT)
    assert (alert.appointment_id, alert.status, alert.due_at) == (appointment.pk, "pending", SENT_AT)
    assert alert.context == {"report": SymptomReport.objects.get().pk}


@pytest.mark.parametrize("pain", ["11", "-1", "three", ""])
def test_a_pain_score_outside_0_to_10_is_refused(client: Client, url: str, pain: str) -> None:
    response = answer(client, url, pain_now=pain)

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert 'href="#id_pain_now"' in response.content.decode()
    assert not SymptomReport.objects.exists()


def test_an_unknown_side_effect_is_refused(client: Client, url: str) -> None:
    assert answer(client, url, side_effects=["dragons"]).status_code == 400
    assert not SymptomReport.objects.exists()


def test_a_tampered_link_shows_a_clear_page_and_records_nothing(client: Client, url: str) -> None:
    token = url.split("/")[2]
    tampered = f"/checkin/{token[:-2]}{'A' if token[-2] != 'A' else 'B'}{token[-1]}/"

    for response in (client.get(tampered), answer(client, tampered)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert client.get("/checkin/not-a-token/").status_code == 400
    assert not SymptomReport.objects.exists()


def test_an_expired_link_shows_a_clear_page_and_records_nothing(
    client: Client, url: str, clock: time_machine.Traveller, clinic: Clinic
) -> None:
    clock.shift(timedelta(days=14, seconds=1))

    for response in (client.get(url), answer(client, url), client.get(f"{url}done/")):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert clinic.phone in response.content.decode()
    assert not SymptomReport.objects.exists()


def test_a_link_for_an_appointment_that_moved_no_longer_works(
    client: Client, url: str, appointment: Appointment
) -> None:
    Appointment.objects.filter(pk=appointment.pk).update(version=2)

    assert client.get(url).status_code == 400


def test_a_visit_that_did_not_happen_cannot_be_checked_in(client: Client, url: str, appointment: Appointment) -> None:
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)

    response = answer(client, url)

    assert response.status_code == 400
    assert "only after a visit that took place" in response.content.decode()
    assert not SymptomReport.objects.exists()


def test_the_done_page_without_an_answer_goes_back_to_the_form(client: Client, url: str) -> None:
    assert client.get(f"{url}done/")["Location"] == url


def test_another_visit_type_uses_the_same_page(
    client: Client, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    talking = insert_appointment(
        patient, physio, visit, local(clinic, VISIT_DAY, "14:00"), status=Appointment.Status.CONFIRMED
    )

    assert client.get(f"/checkin/{make_token(talking)}/").status_code == 200


def test_my_appointments_links_to_the_check_in_of_a_patients_own_visit(
    patient: Patient, other_patient: Patient, clinic: Clinic, physio: Practitioner
) -> None:
    kind = make_type(clinic, minutes=30, name="Check-in visit")
    start = (timezone.now() - timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    visit = insert_appointment(patient, physio, kind, start, status=Appointment.Status.COMPLETED)
    own, other = Client(), Client()
    own.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    other.force_login(other_patient.user, backend="django.contrib.auth.backends.ModelBackend")

    response = own.get(f"/appointments/{visit.pk}/checkin/")

    assert response.status_code == 302 and "/checkin/" in response["Location"]
    assert other.get(f"/appointments/{visit.pk}/checkin/").status_code == 404
