"""The consent documents as the API shows them: in the caller's language, chosen as the
pages choose (booking.consent_documents), and the translation a screening or a signature
rests on (what the client says it showed, checked as the pages check it)."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.request import Request

from booking import consent_documents
from booking.models import Clinic
from consent.models import (
    ConsentFormTranslation,
    ConsentFormVersion,
    QuestionnaireTranslation,
    QuestionnaireVersion,
)
from consent.selectors import Offered
from core.rest import field_errors

MOST_LANGUAGES = 5  # of an Accept-Language header: each one tried costs a query
FORM_WORDS = ("title", "sections", "side_effects", "acknowledgements", "intent_statement", "e_records_disclosure")
QUESTIONNAIRE_WORDS = ("title", "items", "combined_rules")
S = TypeVar("S", ConsentFormVersion, QuestionnaireVersion)


def wanted_languages(request: Request) -> list[str]:
    """The languages the caller reads, best first: Accept-Language's choices, even ones Acus
    does not speak (so that the notice can name the one missing); without the header, the
    language the call is answered in (the caller's stored one: accounts.authentication)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    choices = [code for code, q in parse_accept_lang_header(header) if code != "*" and q > 0]
    return choices[:MOST_LANGUAGES] or [translation.get_language() or settings.LANGUAGE_CODE]


def offered_form(request: Request, clinic: Clinic) -> Offered[ConsentFormVersion, ConsentFormTranslation] | None:
    return consent_documents.offered_form(None, clinic, languages=wanted_languages(request))


def offered_questionnaire(
    request: Request, clinic: Clinic
) -> Offered[QuestionnaireVersion, QuestionnaireTranslation] | None:
    return consent_documents.offered_questionnaire(None, clinic, languages=wanted_languages(request))


def shown(offered: Offered[S, Any], words: tuple[str, ...]) -> S:
    """The source version (its id, version and sha256) with the words the patient reads:
    the translation's when one is shown. A copy: the source row itself is left alone."""
    document = copy.copy(offered.source)
    if offered.translation is not None:
        for key in words:
            setattr(document, key, getattr(offered.translation, key))
    return document


def language_context(offered: Offered[Any, Any]) -> dict[str, Any]:
    """What the serializers add about the language shown (consent_serializers.ShownLanguage)."""
    return {
        "language": offered.language,
        "translation": offered.translation.pk if offered.translation is not None else None,
        "missing_language": offered.missing,
        "notice": consent_documents.notice_text(offered),
    }


def questionnaire_translation(
    questionnaire: QuestionnaireVersion, data: dict[str, Any], request: Request, clinic: Clinic
) -> QuestionnaireTranslation | None:
    """The translation the answers were given in. Sent by the client (null: the clinic's own
    text): a reviewed, current translation of this very version (consent.services checks
    it again). Not sent: the one the pages would show now, as for older clients."""
    if "questionnaire_translation" not in data:
        offered = offered_questionnaire(request, clinic)
        return offered.translation if offered is not None and offered.source == questionnaire else None
    sent = data["questionnaire_translation"]
    if sent is None:
        return None
    found = QuestionnaireTranslation.objects.filter(
        pk=sent, source=questionnaire, reviewed_at__isnull=False, outdated_at__isnull=True
    ).first()
    if found is None:
        message = gettext("These health questions are not offered in this language.")
        raise field_errors({"questionnaire_translation": [message]})
    return found


def form_translation(
    form: ConsentFormVersion, values: dict[str, Any], request: Request, clinic: Clinic
) -> ConsentFormTranslation | None:
    """The translation signed: the one offered now (booking.consent_documents), as on the
    consent page. When the client sends the one it showed (null: the clinic's own text) and
    that is no longer what is offered, a translation was reviewed or replaced while the
    patient read: refused, so that nobody signs words they never saw (the page shows the
    new text instead)."""
    offered = offered_form(request, clinic)
    if offered is None or offered.source != form:
        return None  # not the current form: consent.services refuses it
    offered_id = offered.translation.pk if offered.translation is not None else None
    if "form_translation" in values and values["form_translation"] != offered_id:
        raise field_errors(
            {"form_translation": [gettext("A newer consent form has been published: please read it before you sign.")]}
        )
    return offered.translation
