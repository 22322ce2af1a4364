"""Moving a needling visit to another practitioner asks for a new signature: the signed
text names the first practitioner and their training (FACTS.md section 3, re-consent
triggers). A new time with the same practitioner keeps the consent."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import consent_flow, services
from booking.models import Appointment, AppointmentEvent, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion
from notifications.models import Notification
from tests.accounts.sign_in import api_as
from tests.booking.consent_world import at
from tests.booking.factories import make_type
from tests.booking.signing import sign_clear

pytestmark = pytest.mark.django_db
Status = Appointment.Status
Action = AppointmentEvent.Action


def test_moving_a_needling_visit_to_another_practitioner_asks_for_a_new_signature(
    patient: Patient, colleague: Practitioner, confirmed: Appointment
) -> None:
    first_consent = confirmed.consent
    assert first_consent is not None

    services.reschedule_appointment(confirmed, actor=patient.user, start=at(5, 11), practitioner=colleague)

    moved = Appointment.objects.get(pk=confirmed.pk)
    assert (moved.practitioner, moved.status, moved.consent_id) == (colleague, Status.PENDING_REVIEW, None)
    actions = list(moved.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions[-2:] == [Action.RESCHEDULED, Action.CONSENT_ENDED]
    assert moved.events.get(action=Action.CONSENT_ENDED).data == {
        "consent": first_consent.pk,
        "reason": "new_practitioner",
    }
    assert not first_consent.withdrawals.exists(), "still good for Dr Pin's visits"


def test_the_moved_visit_cannot_be_approved_or_confirmed_on_the_old_consent(
    patient: Patient, colleague: Practitioner, confirmed: Appointment
) -> None:
    services.reschedule_appointment(confirmed, actor=patient.user, start=at(5, 11), practitioner=colleague)

    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.decide_review(confirmed, reviewer=colleague.user, approve=True, note="Looks fine.")
    response = api_as(patient).post(
        f"/api/v1/appointments/{confirmed.pk}/confirm", {"health_unchanged": True}, format="json"
    )

    assert response.status_code == 409 and response.json()["code"] == "consent_required"
    moved = Appointment.objects.get(pk=confirmed.pk)
    assert (moved.status, moved.consent_id) == (Status.PENDING_REVIEW, None)


def test_signing_again_for_the_new_practitioner_confirms_the_moved_visit(
    patient: Patient,
    colleague: Practitioner,
    confirmed: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    services.reschedule_appointment(confirmed, actor=patient.user, start=at(5, 11), practitioner=colleague)

    consent = sign_clear(patient, confirmed, form, questionnaire, clinic)

    moved = Appointment.objects.get(pk=confirmed.pk)
    assert (moved.status, moved.consent) == (Status.CONFIRMED, consent)
    assert consent.render_context["practitioner_name"] == "Dr Quill"
    assert "Dr Quill holds a dry-needling certification" in consent.render_context["practitioner_disclosure"]


def test_no_reminders_are_planned_for_the_moved_visit_until_it_is_signed_again(
    patient: Patient, colleague: Practitioner, confirmed: Appointment
) -> None:
    moved = services.reschedule_appointment(confirmed, actor=patient.user, start=at(5, 11), practitioner=colleague)

    planned = set(
        Notification.objects.filter(appointment=moved, appointment_version=moved.version).values_list("kind", flat=True)
    )
    assert planned == {"reschedule"}


def test_moving_to_a_new_time_with_the_same_practitioner_keeps_the_consent(
    patient: Patient, confirmed: Appointment
) -> None:
    first_consent = confirmed.consent_id

    services.reschedule_appointment(confirmed, actor=patient.user, start=at(6, 14))

    moved = Appointment.objects.get(pk=confirmed.pk)
    assert (moved.status, moved.consent_id, moved.version) == (Status.CONFIRMED, first_consent, 2)
    assert not moved.events.filter(action=Action.CONSENT_ENDED).exists()


def test_moving_a_visit_without_needling_to_another_practitioner_keeps_it_confirmed(
    patient: Patient, clinic: Clinic, pin: Practitioner, colleague: Practitioner
) -> None:
    talking = make_type(clinic, minutes=45, name="Assessment without needling")
    for practitioner in (pin, colleague):
        practitioner.appointment_types.add(talking)
    held = services.hold_appointment(patient, appointment_type=talking, practitioner=pin, start=at(5, 10))
    services.confirm_appointment(held, actor=patient.user)

    services.reschedule_appointment(held, actor=patient.user, start=at(5, 11), practitioner=colleague)

    assert Appointment.objects.get(pk=held.pk).status == Status.CONFIRMED


def test_the_api_move_to_another_practitioner_answers_with_the_new_status(
    patient: Patient, colleague: Practitioner, confirmed: Appointment
) -> None:
    client: APIClient = api_as(patient)

    response = client.post(
        f"/api/v1/appointments/{confirmed.pk}/reschedule",
        {"start": at(5, 11).isoformat(), "practitioner": colleague.pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending_review"
