"""The review queue: pending screenings on this practitioner's appointments, oldest first;
approve with a note, or decline with a reason the patient is shown; each decision a new row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment
from consent.models import ScreeningReview
from tests.accounts.factories import make_patient
from tests.workspace.factories import MONDAY, REVIEW, Desk, body, book_needling

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = Appointment.Status


def test_the_queue_lists_waiting_screenings_oldest_first(desk: Desk, alex_client: Client) -> None:
    later_visit_older_answers = book_needling(
        desk,
        make_patient(legal_name="Ada First"),
        desk.at("15:00", MONDAY + timedelta(days=3)),
        answers=REVIEW,
        booked_at=desk.at("09:00", MONDAY - timedelta(days=5)),
    )
    book_needling(
        desk,
        make_patient(legal_name="Bea Second"),
        desk.at("10:00", MONDAY + timedelta(days=1)),
        answers=REVIEW,
        booked_at=desk.at("09:00", MONDAY - timedelta(days=2)),
    )
    book_needling(desk, make_patient(legal_name="Cy Clear"), desk.at("11:00", MONDAY + timedelta(days=1)))
    book_needling(
        desk,
        make_patient(legal_name="Dee Priya"),
        desk.at("12:00", MONDAY + timedelta(days=1)),
        answers=REVIEW,
        practitioner=desk.priya,
    )

    page = body(alex_client.get("/staff/reviews/"))

    assert page.index("Ada First") < page.index("Bea Second")
    assert "Cy Clear" not in page and "Dee Priya" not in page
    assert "Your practitioner will check this." in page
    assert f"/staff/appointments/{later_visit_older_answers.pk}/#review" in page


def test_approving_needs_a_note(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)

    response = alex_client.post(f"/staff/appointments/{visit.pk}/review/", {"decision": "approve", "note": "  "})

    assert response.status_code == 400
    assert "Write a note explaining your decision." in body(response)
    assert not ScreeningReview.objects.exists()
    visit.refresh_from_db()
    assert visit.status == Status.PENDING_REVIEW


def test_approving_confirms_the_visit_and_records_a_review(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)

    response = alex_client.post(
        f"/staff/appointments/{visit.pk}/review/",
        {"decision": "approve", "note": "Diabetes well controlled; warfarin INR stable, will compress."},
    )

    assert response.status_code == 302 and response["Location"] == "/staff/reviews/"
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    review = ScreeningReview.objects.get()
    assert (review.decision, review.reviewer_id) == ("approved", desk.alex.user_id)
    assert "Nothing is waiting for review." in body(alex_client.get("/staff/reviews/"))


def test_declining_frees_the_time_and_keeps_the_reason_for_the_patient(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)

    alex_client.post(
        f"/staff/appointments/{visit.pk}/review/",
        {"decision": "decline", "note": "Please see your GP about the warfarin first."},
    )

    visit.refresh_from_db()
    assert visit.status == Status.DECLINED
    assert visit.cancel_reason == "Please see your GP about the warfarin first."
    assert ScreeningReview.objects.get().decision == "declined"


def test_a_second_decision_is_refused_and_adds_no_row(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)
    alex_client.post(f"/staff/appointments/{visit.pk}/review/", {"decision": "approve", "note": "Fine."})

    again = alex_client.post(f"/staff/appointments/{visit.pk}/review/", {"decision": "decline", "note": "Oops"})

    assert again.status_code == 409
    assert ScreeningReview.objects.count() == 1


def test_a_review_of_someone_elses_appointment_is_a_404(desk: Desk, priya_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)

    response = priya_client.post(f"/staff/appointments/{visit.pk}/review/", {"decision": "approve", "note": "ok"})

    assert response.status_code == 404
    assert not ScreeningReview.objects.exists()


def test_a_bad_decision_value_is_a_clear_error(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)

    response = alex_client.post(f"/staff/appointments/{visit.pk}/review/", {"decision": "maybe", "note": "Hmm"})

    assert response.status_code == 400
    assert not ScreeningReview.objects.exists()


def test_the_clinic_admin_sees_every_practitioners_queue(desk: Desk, admin_client_: Client) -> None:
    book_needling(
        desk, make_patient(legal_name="Ada First"), desk.at("10:00", MONDAY + 1 * timedelta(days=1)), answers=REVIEW
    )
    book_needling(
        desk,
        make_patient(legal_name="Dee Priya"),
        desk.at("12:00", MONDAY + timedelta(days=1)),
        answers=REVIEW,
        practitioner=desk.priya,
    )

    page = body(admin_client_.get("/staff/reviews/"))

    assert "Ada First" in page and "Dee Priya" in page
