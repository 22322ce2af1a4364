"""Which language a request is answered in, decided once per request.

A signed-in person's own choice (User.language) wins; otherwise the language cookie the
switcher sets; otherwise the browser's Accept-Language; otherwise LANGUAGE_CODE. This is
Django's LocaleMiddleware with the stored choice put first: a patient who chose French on
their phone reads French on their laptop too, and every message Celery sends them later
uses the same stored value (notifications activate it per message).

API calls with a token are authenticated by DRF inside the view, after this runs; their
language comes from Accept-Language (accounts' token authentication activates the stored
one when the call sends no Accept-Language: accounts.authentication)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

log = logging.getLogger(__name__)


def supported(code: str | None) -> str | None:
    """The supported language for a code such as "es-MX" or "fr", or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def html_lang(code: str) -> str:
    """The BCP 47 tag for `<html lang>` and `Content-Language`: "en-gb" -> "en-GB", "es" -> "es"."""
    return translation.to_locale(code).replace("_", "-")


def stored_language(request: HttpRequest) -> str | None:
    """The signed-in person's saved choice, or None (anonymous, none saved, or no database)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session, so no one signed in here: asking request.user would only build an
        # empty session to find that out (about 1 % of an API call's CPU, bench/README).
        return None
    try:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return supported(getattr(user, "language", ""))
    except DatabaseError:
        # The outage middleware answers the view's own failure; the page falls back to the browser's language.
        return None


def request_language(request: HttpRequest) -> str:
    return stored_language(request) or translation.get_language_from_request(request)


class LanguageMiddleware:
    """LocaleMiddleware, with the signed-in person's stored language first. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", html_lang(translation.get_language()))
        return response
