"""The audit's world: a clinic whose slug matches the consent fixtures, its admin, and a
practitioner. tests/compliance/factories.py signs consents the way the booking flow does."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from booking.models import AppointmentType, Clinic, Practitioner
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.compliance.factories import CLINIC_NAME
from tests.consent.factories import SCOPE


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(slug=SCOPE, name=CLINIC_NAME, time_zone="Europe/London")


@pytest.fixture
def audit_admin(clinic_admin: User, clinic: Clinic) -> User:
    clinic.admins.add(clinic_admin)
    return clinic_admin


@pytest.fixture
def admin_client(audit_admin: User) -> Client:
    return verified_staff_client(audit_admin)


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, needling=True, name="Dry needling")


@pytest.fixture
def pin(clinic: Clinic, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Pin")
