"""Arrived, completed, no-show, cancel and move from the appointment page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from booking import errors
from booking.models import Appointment, AppointmentEvent
from booking.signals import appointment_changed
from care import services as care_services
from tests.workspace.factories import MONDAY, Desk, body, book_needling, book_plain
from workspace import services as staff_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = Appointment.Status
Action = AppointmentEvent.Action


def _events(visit: Appointment) -> list[str]:
    return list(visit.events.values_list("action", flat=True))


def test_marking_arrived_leaves_an_audit_row_once(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("09:30"))

    first = alex_client.post(f"/staff/appointments/{visit.pk}/arrived/")
    alex_client.post(f"/staff/appointments/{visit.pk}/arrived/")

    assert first.status_code == 302
    assert _events(visit).count(Action.ARRIVED) == 1
    event = visit.events.get(action=Action.ARRIVED)
    assert event.actor_id == desk.alex.user_id
    page = body(alex_client.get("/staff/today/"))
    assert "Arrived" in page


def test_it_is_too_early_to_arrive_for_tomorrow(desk: Desk, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)))

    with pytest.raises(errors.InvalidTransition, match="too early"):
        staff_services.mark_arrived(visit, actor=desk.alex.user)


def test_a_plain_visit_is_completed_from_the_page(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("09:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/completed/", follow=True)

    assert "Marked completed." in body(response)
    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED


def test_a_needling_session_needs_consent_reconfirmed_in_person(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/completed/", follow=True)

    assert "confirmed the patient&#x27;s consent in person" in body(response)
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_a_no_show(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("09:00"))

    alex_client.post(f"/staff/appointments/{visit.pk}/no-show/")

    visit.refresh_from_db()
    assert visit.status == Status.NO_SHOW


def test_a_visit_that_has_not_started_cannot_be_completed(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/completed/", follow=True)

    assert "has not started yet" in body(response)
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_staff_cancel_inside_the_window_with_a_reason_and_the_patient_hears(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))
    heard: list[str] = []

    def listen(sender: object, *, change: str, **kwargs: object) -> None:
        heard.append(change)

    appointment_changed.connect(listen, dispatch_uid="test-listen")
    try:
        response = alex_client.post(f"/staff/appointments/{visit.pk}/cancel/", {"reason": "Practitioner unwell"})
    finally:
        appointment_changed.disconnect(dispatch_uid="test-listen")

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason, visit.cancelled_by_id) == (
        Status.CANCELLED,
        "Practitioner unwell",
        desk.alex.user_id,
    )
    assert visit.events.get(action=Action.CANCELLED).data == {"override": True}
    assert heard == ["cancelled"]


def test_cancelling_needs_a_reason(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))

    response = alex_client.post(f"/staff/appointments/{visit.pk}/cancel/", {"reason": "   "})

    assert response.status_code == 400
    assert "Give a reason for the change." in body(response)
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_a_visit_is_moved_to_a_free_time_with_a_reason(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))
    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/move/?day=2026-06-02"))
    assert "Tuesday, 2 June 2026" in page
    new_start = desk.at("11:00", MONDAY + timedelta(days=1))
    assert f'value="{new_start.astimezone(desk.clinic.zone).isoformat()}"' not in page  # UTC values travel
    assert 'value="2026-06-02T10:00:00+00:00"' in page

    response = alex_client.post(
        f"/staff/appointments/{visit.pk}/move/",
        {"day": "2026-06-02", "start": "2026-06-02T10:00:00+00:00", "reason": "Clinic closed for training"},
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.start == new_start
    assert visit.version == 2
    assert visit.events.get(action=Action.RESCHEDULED).data["override"] is True


def test_moving_to_a_time_not_offered_is_refused_clearly(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))

    response = alex_client.post(
        f"/staff/appointments/{visit.pk}/move/",
        {"day": "2026-06-02", "start": "2026-06-02T03:00:00+00:00", "reason": "x"},
    )

    assert response.status_code == 400
    assert "Choose one of the free times." in body(response)


def test_the_move_page_offers_the_visits_own_neighbourhood(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))

    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/move/"))

    assert 'value="2026-06-01T14:15:00+00:00"' in page, "15:15 overlaps the visit itself, which is moving"


def test_the_move_page_does_not_offer_the_visits_own_time(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))

    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/move/"))
    posted = alex_client.post(
        f"/staff/appointments/{visit.pk}/move/",
        {"day": "2026-06-01", "start": "2026-06-01T14:00:00+00:00", "reason": "Same time"},
    )

    assert 'value="2026-06-01T14:00:00+00:00"' not in page, "moving to its own time would change nothing"
    assert 'value="2026-06-01T13:45:00+00:00"' in page
    assert posted.status_code == 400
    visit.refresh_from_db()
    assert visit.version == 1 and not visit.events.filter(action=Action.RESCHEDULED).exists()


def test_actions_on_someone_elses_visit_are_404(desk: Desk, priya_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("09:00"))

    for action in ["arrived", "completed", "no-show"]:
        assert priya_client.post(f"/staff/appointments/{visit.pk}/{action}/").status_code == 404
    assert priya_client.post(f"/staff/appointments/{visit.pk}/cancel/", {"reason": "x"}).status_code == 404
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED and not visit.events.filter(action=Action.ARRIVED).exists()


def test_a_finished_visit_offers_no_actions(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("09:00"))
    with time_machine.travel(visit.end, tick=False):
        care_services.complete_session(visit, actor=desk.alex.user)

    page = body(alex_client.get(f"/staff/appointments/{visit.pk}/"))

    assert "Mark arrived" not in page and "Mark no-show" not in page
    assert "Edit session notes" not in page and "Write session notes" in page, "notes can still be written"
