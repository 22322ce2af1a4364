"""Who calls the FHIR endpoint: a system client with a key (`Authorization: Bearer acus_...`),
or a patient with their existing API token (`Authorization: Token ...`), for themselves alone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from interop.keys import PREFIX, key_for
from interop.models import ClientKey


class ClientKeyAuthentication(authentication.BaseAuthentication):
    """request.user stays anonymous; request.auth is the ClientKey."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, presented = header.partition(" ")
        if scheme.lower() != "bearer" or not presented.strip().startswith(PREFIX):
            return None
        key = key_for(presented.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("This client key is not valid or has been revoked.")
        # At most one write a minute per key: the audit rows say exactly when.
        if key.last_used_at is None or (timezone.now() - key.last_used_at).total_seconds() > 60:
            ClientKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="fhir"'


def client_key(request: Request) -> ClientKey | None:
    return request.auth if isinstance(request.auth, ClientKey) else None


def patient_of(request: Request) -> Any:
    """The signed-in patient calling with their own token, or None."""
    user = request.user
    return getattr(user, "patient", None) if user is not None and user.is_authenticated else None


class CallerWithScope(permissions.BasePermission):
    """A patient (their token), or a client key holding the view's `required_scope`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        key = client_key(request)
        if key is not None:
            return key.allows(getattr(view, "required_scope", ""))
        return patient_of(request) is not None
