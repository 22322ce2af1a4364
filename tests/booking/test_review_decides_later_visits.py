"""A practitioner's review cannot be talked past: a later needling visit leans on the
patient's consent only when its screening was clear or a practitioner approved it.
Undecided, the later visit waits in the queue too; declined, the consent ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Patient
from booking import consent_flow
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, ConsentWithdrawal, QuestionnaireVersion, SignedConsent
from tests.accounts.sign_in import api_as, verified_staff_client
from tests.booking.pages import ANSWERS_REVIEW, DETAILS, free_slots, held, make_journey_clinic, sign_in, walk_to_consent
from tests.booking.pages import hold as page_hold
from tests.booking.pages import signature as signature_fields
from tests.booking.signing import hold, screen, sign_clear, signature
from workspace.selectors.reviews import review_queue

pytestmark = pytest.mark.django_db
Status = Appointment.Status


@pytest.fixture
def flagged(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> Appointment:
    """A first needling visit whose answers (diabetes: yes) wait for Dr Pin's review."""
    first = hold(patient, needling, pin, days=2)
    answers = screen(patient, questionnaire, clinic, diabetes="yes")
    consent_flow.sign_for_appointment(patient, appointment_id=first.pk, request=signature(form, answers, patient))
    first.refresh_from_db()
    assert first.status == Status.PENDING_REVIEW
    return first


def test_a_declined_review_ends_the_consent_and_a_later_visit_needs_new_answers(
    patient: Patient, pin: Practitioner, needling: AppointmentType, flagged: Appointment
) -> None:
    consent_flow.decide_review(flagged, reviewer=pin.user, approve=False, note="Please see your GP first.")
    later = hold(patient, needling, pin, days=9)

    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=True)

    later.refresh_from_db()
    assert (later.status, later.consent_id) == (Status.HELD, None)
    withdrawal = ConsentWithdrawal.objects.get(consent_id=flagged.consent_id)
    assert (withdrawal.reason, withdrawal.by) == (ConsentWithdrawal.Reason.REVIEW_DECLINED, pin.user)
    assert withdrawal.note == "Please see your GP first."


def test_a_later_visit_waits_in_the_queue_while_the_first_review_is_undecided(
    patient: Patient, pin: Practitioner, needling: AppointmentType, flagged: Appointment
) -> None:
    later = hold(patient, needling, pin, days=9)

    waiting = consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=True)

    later.refresh_from_db()
    assert waiting.status == later.status == Status.PENDING_REVIEW
    assert (later.consent_id, later.screening_id) == (flagged.consent_id, flagged.screening_id)
    assert later.hold_expires_at is None, "waiting for a review does not run out like a hold"
    assert later.events.filter(action=AppointmentEvent.Action.SENT_FOR_REVIEW).exists()
    assert not later.events.filter(action=AppointmentEvent.Action.CONFIRMED).exists()
    assert {entry.appointment.pk for entry in review_queue(pin.user)} == {flagged.pk, later.pk}


def test_an_approved_review_lets_a_later_visit_be_confirmed_on_the_same_consent(
    patient: Patient, pin: Practitioner, needling: AppointmentType, flagged: Appointment
) -> None:
    consent_flow.decide_review(flagged, reviewer=pin.user, approve=True, note="Diabetes well controlled.")
    later = hold(patient, needling, pin, days=9)

    confirmed = consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=True)

    assert confirmed.status == Status.CONFIRMED
    later.refresh_from_db()
    assert later.consent_id == flagged.consent_id


def test_declining_one_visit_sends_the_others_on_that_consent_back_for_a_new_signature(
    patient: Patient, pin: Practitioner, needling: AppointmentType, flagged: Appointment
) -> None:
    queued = hold(patient, needling, pin, days=9)
    consent_flow.confirm_with_existing_consent(patient, appointment_id=queued.pk, health_unchanged=True)
    consent_flow.decide_review(flagged, reviewer=pin.user, approve=True, note="Fine for the first visit.")

    consent_flow.decide_review(queued, reviewer=pin.user, approve=False, note="Not again until your GP has seen you.")

    flagged.refresh_from_db()
    assert flagged.status == Status.PENDING_REVIEW, "the approved visit no longer has a consent behind it"
    ended = flagged.events.get(action=AppointmentEvent.Action.CONSENT_ENDED)
    assert ended.data == {"consent": flagged.consent_id, "reason": "review_declined"}
    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.decide_review(flagged, reviewer=pin.user, approve=True, note="ok")


def test_a_patient_cannot_confirm_their_own_visit_that_waits_for_review(patient: Patient, flagged: Appointment) -> None:
    response = api_as(patient).post(
        f"/api/v1/appointments/{flagged.pk}/confirm", {"health_unchanged": True}, format="json"
    )

    assert response.status_code == 409, response.json()
    flagged.refresh_from_db()
    assert flagged.status == Status.PENDING_REVIEW


def test_a_decline_through_the_staff_api_leaves_the_patient_nothing_to_confirm_with(
    patient: Patient, pin: Practitioner, needling: AppointmentType, flagged: Appointment
) -> None:
    staff = verified_staff_client(pin.user)
    decided = staff.post(
        f"/api/v1/staff/appointments/{flagged.pk}/review",
        {"decision": "decline", "note": "Please see your GP first."},
        content_type="application/json",
    )
    later = hold(patient, needling, pin, days=9)

    confirm = api_as(patient).post(
        f"/api/v1/appointments/{later.pk}/confirm", {"health_unchanged": True}, format="json"
    )

    assert decided.status_code == 200 and decided.json()["status"] == "declined"
    assert confirm.status_code == 409 and confirm.json()["code"] == "consent_required"
    later.refresh_from_db()
    assert later.status == Status.HELD


def test_ending_the_newest_consent_does_not_bring_an_older_one_back(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    first = hold(patient, needling, pin, days=2)
    older = sign_clear(patient, first, form, questionnaire, clinic)
    second = hold(patient, needling, pin, days=5)
    newer = sign_clear(patient, second, form, questionnaire, clinic)
    consent_flow.withdraw(newer, by=patient.user, note="I have changed my mind about needling.")
    later = hold(patient, needling, pin, days=9)

    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=True)

    assert not SignedConsent.objects.get(pk=older.pk).withdrawals.exists()
    later.refresh_from_db()
    assert later.status == Status.HELD


def test_a_change_in_health_sends_other_confirmed_visits_on_that_consent_back(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    first = hold(patient, needling, pin, days=2)
    sign_clear(patient, first, form, questionnaire, clinic)
    later = hold(patient, needling, pin, days=9)

    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=False)

    first.refresh_from_db()
    assert first.status == Status.PENDING_REVIEW
    assert first.events.get(action=AppointmentEvent.Action.CONSENT_ENDED).data["reason"] == "health_changed"


def test_the_pages_send_a_later_visit_to_wait_for_the_undecided_review(client: Client, patient: Patient) -> None:
    journey = make_journey_clinic()
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_REVIEW)
    client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature_fields()})
    first = Appointment.objects.get(pk=pk)
    slot = next(
        s
        for s in free_slots(journey.needling, first.practitioner, limit=50)
        if s.start >= first.end + timedelta(hours=1)
    )
    page_hold(client, journey.needling, slot, who=str(first.practitioner_id), token="second-visit-1234")
    later = held(patient)

    details = client.post(f"/appointments/{later.pk}/details/", DETAILS)
    question = client.get(details["Location"]).content.decode()
    client.post(f"/appointments/{later.pk}/health/", {"changed": "no"})

    assert details["Location"] == f"/appointments/{later.pk}/health/"
    assert "this visit will wait for their review too" in question
    later.refresh_from_db()
    assert (later.status, later.consent_id) == (Status.PENDING_REVIEW, first.consent_id)
