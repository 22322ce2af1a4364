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

from accounts.models import Patient, User
from core.language import supported
from core.precompiled import Precompiled, columns, instances

# The token, its user and the user's patient profile (NULLs if none) in one row.
_TOKEN = Precompiled(
    lambda key: Token.objects.filter(key=key).values_list(
        *columns(Token), *columns(User, "user__"), *columns(Patient, "user__patient__")
    ),
    str,
)


def token_with_user(key: str) -> Token | None:
    """The token with its user, and the user's patient profile (or its absence) already in
    place, as `select_related("user__patient")` would give them, from one precompiled query:
    every API call pays for this lookup, and compiling it cost four times running it."""
    rows = _TOKEN(key)
    if not rows:
        return None
    token, user, patient = instances(rows[0], Token, User, Patient)
    if patient is not None:
        Patient._meta.get_field("user").set_cached_value(patient, user)
    User._meta.get_field("patient").set_cached_value(user, patient)  # None: "has no patient"
    Token._meta.get_field("user").set_cached_value(token, user)
    return token


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        """DRF's, with the patient profile in the same query: the patient API reads it next
        (IsPatient, then the view), which would be a second query on every call."""
        token = token_with_user(key)
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
