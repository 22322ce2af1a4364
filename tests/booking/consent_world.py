"""A clinic ready for consent: the published test form and questionnaire under SCOPE, a
needling treatment, and two needling practitioners (Dr Pin and Dr Quill).

tests/booking/conftest.py offers these fixtures to every booking test; a module that needs
another clinic defines its own `clinic`, which wins."""

from __future__ import annotations

import pytest

from booking.models import AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.consent.factories import SCOPE


@pytest.fixture
def clinic(form: ConsentFormVersion, questionnaire: QuestionnaireVersion) -> Clinic:
    return make_clinic(slug=SCOPE, name="Test Clinic")


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True, name="Dry needling")


@pytest.fixture
def pin(clinic: Clinic, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Pin", weekdays=range(7))


@pytest.fixture
def colleague(clinic: Clinic, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Quill", weekdays=range(7))
