"""Clinic admins write, preview and review translations in the admin: listed per version with
translator, reviewer, review date and whether they are out of date; read-only once reviewed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from booking.models import Clinic
from consent import services
from consent.models import ConsentFormTranslation, ConsentFormVersion
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.consent.factories import SCOPE, form_content
from tests.consent.translations import form_translation, translated_form

pytestmark = pytest.mark.django_db

LIST = "/admin/consent/consentformtranslation/"


@pytest.fixture
def boss(db: None) -> User:
    clinic: Clinic = make_clinic(name="Test Clinic", slug=SCOPE)
    user = make_staff(User.Role.CLINIC_ADMIN, "runs-test-clinic@example.com")
    User.objects.filter(pk=user.pk).update(is_superuser=False)
    user.refresh_from_db()
    clinic.admins.add(user)
    return user


def posted(form: ConsentFormVersion, content: dict[str, Any], **extra: str) -> dict[str, str]:
    values = {"source": str(form.pk), "language": "es", "translator": "Ana Traductora", **extra}
    return {**values, **{k: v if isinstance(v, str) else json.dumps(v) for k, v in content.items()}}


def test_a_clinic_admin_adds_a_draft_checked_against_its_source(boss: User, form: ConsentFormVersion) -> None:
    client = verified_staff_client(boss)

    response = client.post(f"{LIST}add/", posted(form, translated_form(form)))

    assert response.status_code == 302, response.content.decode()[:3000]
    draft = ConsentFormTranslation.objects.get()
    assert (draft.language, draft.translator, draft.reviewed_at) == ("es", "Ana Traductora", None)
    assert draft.content_sha256


def test_a_changed_figure_is_a_form_error_and_nothing_is_saved(boss: User, form: ConsentFormVersion) -> None:
    content = translated_form(form)
    content["side_effects"][0]["how_often"] = "unas 80 de cada 100 sesiones"

    response = verified_staff_client(boss).post(f"{LIST}add/", posted(form, content))

    assert response.status_code == 200
    assert "side_effects[0].how_often" in response.content.decode()
    assert not ConsentFormTranslation.objects.exists()


def test_the_list_shows_translator_reviewer_date_and_out_of_date(boss: User, form: ConsentFormVersion) -> None:
    draft = form_translation(form)
    client = verified_staff_client(boss)

    client.post(LIST, {"action": "mark_reviewed", "_selected_action": [str(draft.pk)]})

    draft.refresh_from_db()
    assert draft.reviewer == boss and draft.reviewed_at is not None
    services.publish_consent_form(scope=SCOPE, **form_content())
    html = client.get(f"{LIST}?source__id__exact={form.pk}").content.decode()
    assert "Ana Traductora" in html and boss.email in html
    assert 'alt="True"' in html  # out of date
    page = client.get(f"/admin/consent/consentformversion/{form.pk}/change/").content.decode()
    assert f"/admin/consent/consentformtranslation/{draft.pk}/change/" in page and "out of date" in page


def test_a_reviewed_translation_is_read_only_with_its_preview(boss: User, form: ConsentFormVersion) -> None:
    reviewed = form_translation(form)
    client = verified_staff_client(boss)
    client.post(LIST, {"action": "mark_reviewed", "_selected_action": [str(reviewed.pk)]})

    page = client.get(f"{LIST}{reviewed.pk}/change/")
    response = client.post(f"{LIST}{reviewed.pk}/change/", posted(form, translated_form(form, "ESB: ")))

    html = page.content.decode()
    assert "ES: Thin needles go into tight muscle at [the clinic&#x27;s name]." in html  # the preview
    assert 'name="title"' not in html
    assert response.status_code == 403
    reviewed.refresh_from_db()
    assert reviewed.title == "ES: Consent to dry needling"


def test_another_clinic_s_admin_sees_none_of_it(form: ConsentFormVersion) -> None:
    form_translation(form)
    other = make_staff(User.Role.CLINIC_ADMIN, "elsewhere@example.com")
    User.objects.filter(pk=other.pk).update(is_superuser=False)
    make_clinic(name="Elsewhere", slug="elsewhere").admins.add(other)
    other.refresh_from_db()

    client: Client = verified_staff_client(other)

    assert "Ana Traductora" not in client.get(LIST).content.decode()
