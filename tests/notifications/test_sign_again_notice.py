"""The reschedule notice tells a patient when their moved needling visit needs a new signature."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Patient
from booking import services
from booking.models import Appointment, Practitioner
from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification
from tests.booking import consent_world

# The consent-ready clinic with Dr Pin and Dr Quill, and a visit confirmed on a consent naming Dr Pin.
clinic, needling = consent_world.clinic, consent_world.needling
pin, colleague = consent_world.pin, consent_world.colleague
confirmed = consent_world.confirmed
at = consent_world.at

pytestmark = pytest.mark.django_db


def reschedule_notice(appointment: Appointment) -> str:
    assert Notification.objects.filter(appointment=appointment, kind=Kind.RESCHEDULE).exists()
    mail.outbox.clear()
    dispatch_due()
    [message] = [m for m in mail.outbox if m.subject.startswith("New time")]
    return str(message.body)


def test_moving_to_another_practitioner_asks_the_patient_to_sign_again(
    patient: Patient, colleague: Practitioner, confirmed: Appointment
) -> None:
    services.reschedule_appointment(confirmed, actor=patient.user, start=at(5, 11), practitioner=colleague)

    body = reschedule_notice(confirmed)

    assert "Dr Quill will treat you now" in body
    assert "sign the consent again" in body
    assert f"/appointments/{confirmed.pk}/" in body


def test_a_new_time_with_the_same_practitioner_asks_for_nothing_more(patient: Patient, confirmed: Appointment) -> None:
    services.reschedule_appointment(confirmed, actor=patient.user, start=at(5, 11))

    body = reschedule_notice(confirmed)

    assert "sign the consent again" not in body
