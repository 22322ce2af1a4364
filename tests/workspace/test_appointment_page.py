"""The appointment page: patient details, screening answers flagged first with their
reasons, the covering consent with a logged link to the exact text, earlier notes and
the pain trend."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from care import services as care_services
from care import symptoms
from care.services import NoteInput
from consent import documents
from consent.models import ConsentAccessLog
from tests.workspace.factories import MONDAY, REVIEW, Desk, body, book_needling, book_plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _note(pain_before: int, pain_after: int, **extra: object) -> NoteInput:
    values: dict[str, object] = {
        "regions": ["upper_back"],
        "adverse_events": [],
        "consent_reconfirmed": True,
        **extra,
    }
    return NoteInput(pain_before=pain_before, pain_after=pain_after, **values)  # type: ignore[arg-type]


def test_it_shows_the_patient_and_the_answers_flagged_first_with_reasons(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("10:00"), answers=REVIEW)

    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/"))

    assert "Pat Example" in page and "pat@example.com" in page and "age 36" in page
    diabetes = page.index("Do you have diabetes?")
    medicines = page.index("Which medicines do you take?")
    fear = page.index("Are you very afraid of needles?")
    assert diabetes < fear and medicines < fear, "flagged answers come first"
    assert "Your practitioner will check this." in page
    assert "Warfarin" in page
    assert 'id="review"' in page, "a pending screening shows the decision form"


def test_the_consent_link_opens_the_exact_text_and_logs_the_view(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("10:00"))
    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/"))
    assert f'href="/staff/appointments/{visit.pk}/consent/"' in page
    assert not ConsentAccessLog.objects.exists(), "the appointment page itself reads no consent text"

    response = alex_client.get(f"/staff/appointments/{visit.pk}/consent/")

    assert response.status_code == 200
    consent = visit.consent
    assert consent is not None
    text = documents.render_text(consent.form_version.canonical(), consent.render_context)
    assert documents.sha256_text(text) == consent.rendered_text_sha256
    for line in text.splitlines():
        if line:
            assert line.replace("'", "&#x27;") in body(response)
    assert "matches the fingerprint stored at signing" in body(response)
    log = ConsentAccessLog.objects.get()
    assert (log.consent_id, log.user_id, log.channel, log.action) == (
        consent.pk,
        desk.alex.user_id,
        "staff_page",
        "view",
    )


def test_no_consent_page_for_a_visit_without_one(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("10:00"))

    assert alex_client.get(f"/staff/appointments/{visit.pk}/consent/").status_code == 404
    assert not ConsentAccessLog.objects.exists()


def test_someone_elses_appointment_is_a_404_and_logs_nothing(
    desk: Desk, priya_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("10:00"))

    assert priya_client.get(f"/staff/appointments/{visit.pk}/").status_code == 404
    assert priya_client.get(f"/staff/appointments/{visit.pk}/consent/").status_code == 404
    assert not ConsentAccessLog.objects.exists()


def test_the_clinic_admin_opens_any_appointment_of_the_clinic(
    desk: Desk, admin_client_: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("10:00"))

    assert admin_client_.get(f"/staff/appointments/{visit.pk}/").status_code == 200
    assert admin_client_.get(f"/staff/appointments/{visit.pk}/consent/").status_code == 200
    assert ConsentAccessLog.objects.get().role == "clinic_admin"


def test_earlier_notes_and_the_pain_trend_with_meaningful_changes_marked(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    first = book_needling(desk, patient, desk.at("10:00", MONDAY - timedelta(days=14)))
    second = book_needling(desk, patient, desk.at("10:00", MONDAY - timedelta(days=7)))
    today = book_needling(desk, patient, desk.at("10:00"))
    for visit, before, after in [(first, 8, 6), (second, 6, 3)]:
        with time_machine.travel(visit.end, tick=False):
            care_services.record_note_and_complete(visit, author=desk.alex.user, note=_note(before, after))
    with time_machine.travel(second.end + timedelta(days=2), tick=False):
        symptoms.record_symptoms(second, pain_now=2, side_effects=["bruising"])

    page = body(alex_client.get(f"/staff/appointments/{today.pk}/"))

    earlier = page[page.index("Earlier session notes") :]
    assert earlier.index("25 May 2026") < earlier.index("18 May 2026"), "newest first"
    assert "<svg" in page and 'role="img"' in page
    assert "Baseline 8 on 18 May 2026" in page
    assert page.count("pain-chart__point--meaningful") == 4  # 6, 6, 3 and 2 against a baseline of 8
    assert "6 points better (75%)" in page
    assert "<caption>Pain scores (0 to 10) and change from the baseline</caption>" in page
    assert Appointment.objects.get(pk=today.pk).status == Appointment.Status.CONFIRMED


def test_another_clinics_history_is_not_shown(desk: Desk, alex_client: Client, patient: Patient) -> None:
    from tests.booking.factories import make_clinic, make_practitioner, make_type

    elsewhere = make_clinic()
    kind = make_type(elsewhere, minutes=30)
    other = make_practitioner(elsewhere, weekdays=range(7))
    from tests.booking.factories import local

    with time_machine.travel(local(elsewhere, MONDAY - timedelta(days=9), "08:00"), tick=False):
        from booking import services

        held = services.hold_appointment(
            patient,
            appointment_type=kind,
            start=local(elsewhere, MONDAY - timedelta(days=7), "10:00"),
            practitioner=other,
        )
        services.confirm_appointment(held, actor=patient.user)
    with time_machine.travel(held.end, tick=False):
        care_services.record_session_note(held, author=other.user, note=_note(9, 9, consent_reconfirmed=False))
    visit = book_needling(desk, patient, desk.at("10:00"))

    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/"))

    assert "No earlier sessions at Harbour Physiotherapy" in page
    assert "No pain scores yet" in page
