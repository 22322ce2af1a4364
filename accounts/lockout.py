from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import normalise_email


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The email that django-axes counts failures against, however it was typed.

    Our staff form posts `email`, Django's authenticate() passes `username`;
    both must land on one counter or the lockout never triggers."""
    raw = (credentials or {}).get("username") or request.POST.get("email") or ""
    return normalise_email(str(raw))
