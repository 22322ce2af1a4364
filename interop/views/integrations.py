"""/staff/integrations/: a clinic admin's client keys for outside systems (the FHIR endpoint):
the list, a new key (shown once, on the answer to the form: never stored in clear, never in a
session, never shown again), revoking with a confirmation, and each key's last calls.

Who: verified staff who administer the key's clinic; any other key id is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_verified_required
from accounts.models import User
from booking.models import Clinic
from interop.forms import NewKeyForm
from interop.keys import issue_key, revoke_key
from interop.models import ClientCall, ClientKey, Scope

SECTION = "integrations"
CALLS_SHOWN = 200


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_verified_required let only staff in
    return request.user


def _clinics(request: HttpRequest) -> QuerySet[Clinic]:
    return Clinic.objects.filter(admins=_user(request)).order_by("name", "pk")


def _clinic(request: HttpRequest, clinic_id: int) -> Clinic:
    found = _clinics(request).filter(pk=clinic_id).first()
    if found is None:
        raise Http404("Not an admin of this clinic")
    return found


def _key(request: HttpRequest, pk: int) -> ClientKey:
    found = ClientKey.objects.select_related("clinic").filter(pk=pk, clinic__admins=_user(request)).first()
    if found is None:
        raise Http404("No such key at your clinics")
    return found


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"interop/integrations/{template}", {"staff_section": SECTION, **context}, status=status)


def _scope_names(key: ClientKey) -> list[str]:
    labels = dict(Scope.choices)
    return [str(labels.get(s, s)) for s in key.scopes]


@staff_verified_required
@require_GET
@never_cache
def key_list(request: HttpRequest) -> HttpResponse:
    clinics = list(_clinics(request))
    if not clinics:
        raise Http404("Not an admin of any clinic")
    keys = ClientKey.objects.filter(clinic__in=clinics).select_related("clinic").order_by("-created_at")
    by_clinic = [
        {"clinic": c, "keys": [{"key": k, "scopes": _scope_names(k)} for k in keys if k.clinic_id == c.pk]}
        for c in clinics
    ]
    return _page(request, "list.html", {"by_clinic": by_clinic})


@staff_verified_required
@require_http_methods(["GET", "POST"])
@never_cache
def key_new(request: HttpRequest, clinic_id: int) -> HttpResponse:
    clinic = _clinic(request, clinic_id)
    form = NewKeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        row, key = issue_key(
            clinic=clinic, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], actor=_user(request)
        )
        # The one and only time the key is shown: in this answer, which no cache keeps.
        response = _page(request, "shown.html", {"row": row, "key": key, "scopes": _scope_names(row)})
        response["Cache-Control"] = "no-store"
        return response
    return _page(request, "new.html", {"clinic": clinic, "form": form}, status=400 if form.is_bound else 200)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = _key(request, pk)
    if request.method == "POST" and key.active:
        revoke_key(key=key, actor=_user(request))
        messages.success(request, _("The key “%(name)s” is revoked: calls with it are refused.") % {"name": key.name})
        return redirect("integrations:keys")
    if not key.active:
        return redirect("integrations:keys")
    return _page(request, "revoke.html", {"key": key})


@staff_verified_required
@require_GET
@never_cache
def key_calls(request: HttpRequest, pk: int) -> HttpResponse:
    key = _key(request, pk)
    calls = ClientCall.objects.filter(client_key=key).order_by("-at", "-id")[:CALLS_SHOWN]
    return _page(request, "calls.html", {"key": key, "calls": calls, "shown": CALLS_SHOWN})
