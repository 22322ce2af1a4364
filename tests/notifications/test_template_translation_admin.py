"""The admin of clinic wording: translations with their translator, clinical reviewer, review
date and out-of-date mark; saving a changed source there marks its translations out of date."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from booking.models import Clinic
from notifications import wording
from notifications.models import Kind, MessageTemplate
from tests.accounts.sign_in import verified_staff_client

pytestmark = pytest.mark.django_db
URL = "/admin/notifications/messagetemplate/"


@pytest.fixture
def source(clinic: Clinic) -> MessageTemplate:
    return wording.save_template(MessageTemplate(clinic=clinic, kind=Kind.REMINDER, subject="See you", text="Soon."))


def form(template: MessageTemplate | None = None, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"kind": Kind.REMINDER, "channel": "email", "language": "en-gb", "html": ""}
    values.update({"translator": "", "reviewer": "", "reviewed_at_0": "", "reviewed_at_1": ""})
    if template is not None:
        values.update(
            clinic=template.clinic_id or "",
            kind=template.kind,
            language=template.language,
            source=template.source_id or "",
            subject=template.subject,
            text=template.text,
            translator=template.translator,
        )
    return {**values, **fields}


def test_the_list_shows_who_translated_and_reviewed_and_what_is_out_of_date(
    clinic_admin: User, source: MessageTemplate
) -> None:
    wording.save_template(
        MessageTemplate(source=source, language="fr", subject="À bientôt", text="Bientôt.", translator="Camille T.")
    )

    html = verified_staff_client(clinic_admin).get(URL).content.decode()

    for column in ("Translator", "Clinical reviewer", "Review date", "Out of date"):
        assert column in html
    assert "Camille T." in html


def test_a_translation_added_in_the_admin_takes_its_sources_clinic_kind_and_channel(
    clinic_admin: User, source: MessageTemplate
) -> None:
    client = verified_staff_client(clinic_admin)

    response = client.post(
        f"{URL}add/",
        form(source=source.pk, language="es", subject="Hasta pronto", text="Pronto.", translator="Lucía T."),
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    spanish = MessageTemplate.objects.get(source=source)
    assert (spanish.clinic_id, spanish.kind, spanish.language, spanish.usable) == (
        source.clinic_id,
        "reminder",
        "es",
        False,
    )


def test_the_review_action_and_a_changed_source_in_the_admin(clinic_admin: User, source: MessageTemplate) -> None:
    spanish = wording.save_template(MessageTemplate(source=source, language="es", subject="Hasta", text="Pronto."))
    client = verified_staff_client(clinic_admin)

    client.post(URL, {"action": "mark_reviewed", "_selected_action": [spanish.pk]})
    spanish.refresh_from_db()
    assert (spanish.reviewer, spanish.usable) == (clinic_admin, True)

    response = client.post(f"{URL}{source.pk}/change/", form(source, text="Soon, with a towel."))
    assert response.status_code == 302, response.content.decode()[-2000:]
    spanish.refresh_from_db()
    assert spanish.out_of_date and not spanish.usable
