"""What the admin publish tests share: the publish pages' addresses, a clinic admin, and the posts."""

from __future__ import annotations

import json
from typing import Any

from accounts.models import User
from booking.models import Clinic
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.accounts.factories import make_staff
from tests.consent.factories import SCOPE

FORM_URL = f"/admin/consent/consentformversion/publish/{SCOPE}/"
QUESTIONNAIRE_URL = f"/admin/consent/questionnaireversion/publish/{SCOPE}/"


def admin_of(clinic: Clinic, email: str) -> User:
    """A clinic admin who is not a superuser: Clinic.admins alone decides what they reach."""
    user = make_staff(User.Role.CLINIC_ADMIN, email)
    User.objects.filter(pk=user.pk).update(is_superuser=False)
    user.refresh_from_db()
    clinic.admins.add(user)
    return user


def form_post(form: ConsentFormVersion, *, action: str = "_publish", **overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = {
        "based_on": form.version,
        "title": form.title,
        "sections": form.sections,
        "side_effects": form.side_effects,
        "acknowledgements": form.acknowledgements,
        "e_records_disclosure": form.e_records_disclosure,
        "intent_statement": form.intent_statement,
        "reason": "Clearer words about bruising.",
        action: "1",
        **overrides,
    }
    if values.pop("material", False):
        values["material"] = "on"
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def questionnaire_post(questionnaire: QuestionnaireVersion, **overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = {
        "based_on": questionnaire.version,
        "title": questionnaire.title,
        "items": questionnaire.items,
        "combined_rules": questionnaire.combined_rules,
        "reason": "Ask about pacemakers.",
        "_publish": "1",
        **overrides,
    }
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
