"""Session notes: pain before and after (0-10), regions, adverse events, exercises, and
the in-person consent confirmation that a needling session needs to be completed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment, AppointmentEvent, SessionNote
from tests.workspace.factories import Desk, body, book_needling, book_plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = Appointment.Status


def form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "pain_before": "7",
        "pain_after": "4",
        "regions": ["upper_back", "shoulder_left"],
        "other_regions": "",
        "adverse_events": ["bruising"],
        "adverse_events_other": "Small bruise, pressure applied.",
        "exercises": "Chin tucks, 3 x 10 a day.",
        "consent_reconfirmed": "on",
        "then": "save",
    }
    return {**values, **overrides}


def test_notes_are_saved_and_shown_on_the_appointment_page(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(other_regions="Left forearm"))

    assert response.status_code == 302
    note = SessionNote.objects.get(appointment=visit)
    assert (note.pain_before, note.pain_after, note.author_id) == (7, 4, desk.alex.user_id)
    assert note.regions == ["upper_back", "shoulder_left", "Left forearm"]
    assert note.adverse_events == ["bruising"] and note.consent_reconfirmed
    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/"))
    assert "Upper back, Left shoulder, Left forearm" in page
    assert "Reconfirmed in person" in page
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED, "saving alone does not complete"


def test_save_and_complete_finishes_the_session(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(then="complete"))

    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED
    actions = list(visit.events.values_list("action", flat=True))
    assert actions[-2:] == [AppointmentEvent.Action.NOTE_RECORDED, AppointmentEvent.Action.COMPLETED]


def test_completing_needling_without_the_confirmation_saves_nothing(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(
        f"/staff/appointments/{visit.pk}/notes/",
        {k: v for k, v in form(then="complete").items() if k != "consent_reconfirmed"},
    )

    assert response.status_code == 400
    assert "confirmed the patient&#x27;s consent in person" in body(response)
    assert not SessionNote.objects.exists(), "both or neither"
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


@pytest.mark.parametrize("value", ["11", "-1", "seven", "4.5", ""])
def test_pain_outside_0_to_10_is_a_clear_error(desk: Desk, alex_client: Client, patient: Patient, value: str) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(pain_before=value))

    assert response.status_code == 400
    page = body(response)
    assert "There is a problem" in page
    assert 'href="#id_pain_before"' in page
    assert any(words in page for words in ["from 0 to 10", "0 to 10"])
    assert not SessionNote.objects.exists()


def test_a_needling_note_needs_a_region(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(regions=[]))

    assert response.status_code == 400
    assert "Choose at least one region treated." in body(response)


def test_a_plain_session_needs_no_region_nor_consent_confirmation(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_plain(desk, patient, desk.at("09:00"))
    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/notes/"))
    assert "consent in person" not in page

    alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(regions=[], then="complete"))

    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED


def test_unknown_adverse_events_are_refused(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(adverse_events=["dragons"]))

    assert response.status_code == 400
    assert not SessionNote.objects.exists()


def test_notes_on_someone_elses_appointment_are_refused(desk: Desk, priya_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    assert priya_client.get(f"/staff/appointments/{visit.pk}/notes/").status_code == 404
    assert priya_client.post(f"/staff/appointments/{visit.pk}/notes/", form()).status_code == 404
    assert not SessionNote.objects.exists()


def test_notes_wait_for_the_session_to_start(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("15:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form())

    assert response.status_code == 400
    assert "has not started yet" in body(response)


def test_an_amendment_keeps_the_earlier_values_in_the_audit(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))
    alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form())
    edit = body(alex_client.get(f"/staff/appointments/{visit.pk}/notes/"))
    assert 'value="7"' in edit and "amending" in edit

    alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(pain_after="2"))

    assert SessionNote.objects.get().pain_after == 2
    amended = visit.events.filter(action=AppointmentEvent.Action.NOTE_RECORDED).last()
    assert amended is not None and amended.data["amended"] is True
    assert amended.data["before"]["pain_after"] == 4


def test_the_in_person_confirmation_cannot_be_taken_back_after_completion(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))
    alex_client.post(f"/staff/appointments/{visit.pk}/notes/", form(then="complete"))

    response = alex_client.post(
        f"/staff/appointments/{visit.pk}/notes/", {k: v for k, v in form().items() if k != "consent_reconfirmed"}
    )

    assert response.status_code == 400
    assert SessionNote.objects.get().consent_reconfirmed


def test_a_red_flag_in_the_session_is_called_out(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(
        f"/staff/appointments/{visit.pk}/notes/", form(adverse_events=["breathlessness"]), follow=True
    )

    assert "possible pneumothorax" in body(response)
