"""The language switcher: a plain form POST, so it works without JavaScript.

The choice goes into the language cookie (for this browser, signed in or not) and, for a
signed-in person, onto their account: their other devices and every message Acus sends
them later use it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import User
from accounts.views.common import safe_next_url
from core.language import supported


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = supported(request.POST.get("language"))
    response = HttpResponseRedirect(safe_next_url(request, "/"))
    if language is None:
        # A made-up value changes nothing; the page they came from is still in their language.
        return response
    translation.activate(language)
    if isinstance(request.user, User):
        services.set_language(request.user, language=language)
    remember_language(response, language)
    return response


def remember_language(response: HttpResponse, language: str) -> None:
    """The language cookie: this browser keeps the choice after signing out too."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
