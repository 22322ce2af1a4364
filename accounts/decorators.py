from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.permissions import is_verified_staff

View = Callable[..., HttpResponse]


def staff_verified_required(view: View) -> View:
    """Staff pages: password and second factor, or back to the sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_verified_staff(request.user):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:staff-sign-in')}?{query}")

    return wrapper


def patient_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request.user, "patient"):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:patient-sign-in')}?{query}")

    return wrapper
