"""API token authentication that also picks the caller's language.

LanguageMiddleware runs before DRF authenticates a token, so it sees an anonymous
caller and answers in Accept-Language (else the default). Once the token names a
person, their stored language applies, but only when the call sent no Accept-Language:
an explicit header wins for that call (a client asks for the language it shows), and
the stored choice is what the API falls back on, as it is for every message Acus sends
them. A session caller's stored language was already put first by the middleware."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from rest_framework import authentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from core.language import supported


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        """DRF's, with the patient profile in the same query: the patient API reads it next
        (IsPatient, then the view), which would be a second query on every call."""
        token = Token.objects.select_related("user__patient").filter(key=key).first()
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # DRF's own refusal, in its words
        return token.user, token

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and not request.META.get("HTTP_ACCEPT_LANGUAGE", "").strip():
            language = supported(getattr(result[0], "language", ""))
            if language is not None:
                translation.activate(language)
                request._request.LANGUAGE_CODE = language
        return result
