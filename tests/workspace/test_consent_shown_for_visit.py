"""The staff appointment page shows the consent the patient side would accept for a visit."""

from __future__ import annotations

import pytest

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentType, Practitioner
from tests.booking import consent_world
from workspace.selectors import appointment_page

pytestmark = pytest.mark.django_db

# The consent-ready clinic (tests/booking/consent_world.py, through tests/workspace/conftest.py), and a
# visit confirmed on a consent naming Dr Pin.
confirmed = consent_world.confirmed


def later_visit(patient: Patient, kind: AppointmentType, practitioner: Practitioner) -> Appointment:
    return services.hold_appointment(
        patient, appointment_type=kind, practitioner=practitioner, start=consent_world.at(9, 10)
    )


def test_a_later_visit_with_the_practitioner_signed_for_shows_that_consent(
    patient: Patient, needling: AppointmentType, pin: Practitioner, confirmed: Appointment
) -> None:
    visit = later_visit(patient, needling, pin)

    assert appointment_page.covering_consent(visit) == confirmed.consent


def test_a_later_visit_with_a_colleague_shows_no_consent(
    patient: Patient, needling: AppointmentType, colleague: Practitioner, confirmed: Appointment
) -> None:
    visit = later_visit(patient, needling, colleague)

    assert appointment_page.covering_consent(visit) is None
