"""The `form` and `questionnaire` fixtures: tests/consent/factories.py's form and questions,
published for SCOPE. Registered for the whole suite in tests/conftest.py."""

from __future__ import annotations

import pytest

from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.consent.factories import publish_form, publish_questionnaire


@pytest.fixture
def form(db: None) -> ConsentFormVersion:
    return publish_form()


@pytest.fixture
def questionnaire(db: None) -> QuestionnaireVersion:
    return publish_questionnaire()
