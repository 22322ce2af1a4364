from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import normalise_email


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The email that django-axes counts failures against, however it was typed.

    Our staff form posts `email`, Django's authenticate() passes `username`;
    both must land on one counter or the lockout never triggers."""
    raw = (credentials or {}).get("username") or request.POST.get("email") or ""
    return normalise_email(str(raw))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """Axes' lockout page, with Retry-After like every other limit and the wait in words."""
    cool_off = get_cool_off(request) or timedelta(0)
    seconds = max(1, int(cool_off.total_seconds()))
    context = {"minutes": max(1, round(seconds / 60))}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
