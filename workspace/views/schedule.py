"""Weekly working hours (several periods a day make breaks) and time off.

A practitioner edits their own; a clinic admin may edit those of the practitioners
at the clinics they run. A change that would strand booked visits is refused with
the list of them, so they can be moved or cancelled first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_verified_required
from booking.models import Clinic, Practitioner, TimeOff
from workspace import forms
from workspace import services as staff_services
from workspace.schedule_rules import weekday_names
from workspace.selectors import staffing, visibility
from workspace.views.base import page, parse_id, user_of


@dataclass(frozen=True)
class Target:
    people: list[Practitioner]
    practitioner: Practitioner
    clinics: list[Clinic]
    clinic: Clinic

    @property
    def query(self) -> str:
        return urlencode({"practitioner": self.practitioner.pk, "clinic": self.clinic.pk})


def _target(request: HttpRequest) -> Target | None:
    source = request.POST if request.method == "POST" else request.GET
    user = user_of(request)
    practitioner = visibility.manageable_practitioner(user, parse_id(source.get("practitioner")))
    if practitioner is None:
        if source.get("practitioner"):
            raise Http404("Not a practitioner whose schedule you look after")
        return None
    clinics = list(practitioner.clinics.order_by("name", "pk"))
    if not clinics:
        return None
    clinic = next((c for c in clinics if c.pk == parse_id(source.get("clinic"))), clinics[0])
    return Target(visibility.manageable_practitioners(user), practitioner, clinics, clinic)


def _overview(target: Target, **extra: Any) -> dict[str, Any]:
    hours = staffing.working_hours(target.practitioner, target.clinic)
    by_day = [(name, [h for h in hours if h.weekday == i]) for i, name in enumerate(weekday_names())]
    return {
        "target": target,
        "by_day": by_day,
        "time_off": staffing.upcoming_time_off(target.practitioner),
        "zone_name": target.clinic.time_zone,
        "time_off_form": forms.TimeOffForm(zone=target.clinic.zone),
        "stranded": [],
        **extra,
    }


def _schedule_url(target: Target) -> str:
    return f"{reverse('staff:schedule')}?{target.query}"


@staff_verified_required
@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    target = _target(request)
    if target is None:
        return page(request, "workspace/schedule.html", "schedule", {"target": None})
    return page(request, "workspace/schedule.html", "schedule", _overview(target))


@staff_verified_required
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    target = _target(request)
    if target is None:
        return redirect("staff:schedule")
    current = staffing.working_hours(target.practitioner, target.clinic)
    initial = [{"weekday": h.weekday, "start": h.start, "end": h.end} for h in current]
    formset = forms.WindowFormSet(request.POST or None, initial=initial, prefix="hours")
    problems: list[str] = []
    stranded: list[Any] = []
    assert isinstance(formset, forms.BaseWindowFormSet)
    if request.method == "POST" and formset.is_valid():
        try:
            staff_services.set_working_hours(
                target.practitioner, clinic=target.clinic, windows=formset.windows(), actor=user_of(request)
            )
        except staff_services.InvalidInput as exc:
            problems = [m for messages_ in exc.fields.values() for m in messages_]
        except staff_services.Stranded as exc:
            problems, stranded = [exc.message], exc.appointments
        else:
            messages.success(request, _("Working hours saved."))
            return redirect(_schedule_url(target))
    context = {
        "target": target,
        "formset": formset,
        "problems": problems,
        "stranded": stranded,
        "zone_name": target.clinic.time_zone,
    }
    failed = request.method == "POST"
    status = 409 if stranded else 400 if failed else 200
    return page(request, "workspace/hours.html", "schedule", context, status=status)


@staff_verified_required
@require_POST
def time_off_add(request: HttpRequest) -> HttpResponse:
    target = _target(request)
    if target is None:
        return redirect("staff:schedule")
    form = forms.TimeOffForm(request.POST, zone=target.clinic.zone)
    stranded: list[Any] = []
    if form.is_valid():
        try:
            staff_services.add_time_off(
                target.practitioner,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                actor=user_of(request),
            )
        except staff_services.InvalidInput as exc:
            for name, problems in exc.fields.items():
                form.add_error(name if name in form.fields else None, problems)
        except staff_services.Stranded as exc:
            form.add_error(None, exc.message)
            stranded = exc.appointments
        else:
            messages.success(request, _("Time off added."))
            return redirect(_schedule_url(target))
    context = _overview(target, time_off_form=form, stranded=stranded)
    return page(request, "workspace/schedule.html", "schedule", context, status=409 if stranded else 400)


@staff_verified_required
@require_POST
def time_off_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request)
    if target is None:
        raise Http404("No schedule")
    time_off = get_object_or_404(TimeOff, pk=pk, practitioner=target.practitioner)
    staff_services.remove_time_off(time_off, actor=user_of(request))
    messages.success(request, _("Time off removed."))
    return redirect(_schedule_url(target))
