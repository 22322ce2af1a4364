"""Publish the demo consent form and questionnaire for a clinic, once."""

from __future__ import annotations

from consent import content, selectors, services
from consent.models import ConsentFormVersion, QuestionnaireVersion


def seed_documents(scope: str) -> tuple[ConsentFormVersion, QuestionnaireVersion]:
    form = selectors.current_form(scope) or services.publish_consent_form(scope=scope, **content.demo_consent_form())
    questionnaire = selectors.current_questionnaire(scope) or services.publish_questionnaire(
        scope=scope, **content.demo_questionnaire()
    )
    return form, questionnaire
