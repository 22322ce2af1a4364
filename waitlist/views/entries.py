"""Patient pages: join the waitlist from the times page, and change or leave an entry.
Plain forms, POST-redirect-GET; the entries are listed on booking's My appointments page
(waitlist/templatetags/waitlist_tags.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import patient_required
from accounts.models import Patient, User
from booking.errors import BookingError
from booking.models import AppointmentType
from waitlist.models import Entry, Reach
from waitlist.selectors import entries as selectors
from waitlist.services import entries as services
from waitlist.views.entry_form import EntryForm, initial_for

DEFAULT_RANGE_DAYS = 30
DEFAULT_NOTICE = 120


def _patient(request: HttpRequest) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _my_appointments() -> HttpResponse:
    return redirect(reverse("booking:my-appointments"))


@patient_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, type_id: int) -> HttpResponse:
    kind = get_object_or_404(AppointmentType.objects.select_related("clinic"), pk=type_id, active=True)
    patient = _patient(request)
    if request.method == "POST":
        form = EntryForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                services.join(patient, data=form.entry_input())
            except services.InvalidEntry as exc:
                form.refused(exc)
            except BookingError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("You are on the waitlist. We will tell you when a time that suits you frees up.")
                )
                return _my_appointments()
    else:
        today = services.clinic_today(kind, timezone.now())
        who = request.GET.get("practitioner", "")
        form = EntryForm(
            kind=kind,
            initial={
                "practitioner": who if who.isdigit() else "",
                "first_day": today,
                "last_day": today + timedelta(days=DEFAULT_RANGE_DAYS),
                "notice_minutes": DEFAULT_NOTICE,
                "reach_by": Reach.EMAIL,
            },
        )
    status = 400 if form.errors else 200
    return render(request, "waitlist/entries/join.html", {"kind": kind, "form": form}, status=status)


@patient_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.own_entry(_patient(request), pk)
    kind = found.appointment_type
    form = EntryForm(kind=kind, entry=found, initial=initial_for(found))
    confirm_leave = False
    if request.method == "POST" and found.status == Entry.Status.WAITING:
        action = request.POST.get("action")
        if action == "leave":
            confirm_leave = True
        elif action == "leave-confirmed":
            try:
                services.leave(found, actor=_user(request))
            except BookingError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("You have left the waitlist."))
            return _my_appointments()
        else:
            form = EntryForm(request.POST, kind=kind, entry=found)
            if form.is_valid():
                try:
                    services.change(found, data=form.entry_input(), actor=_user(request))
                except services.InvalidEntry as exc:
                    form.refused(exc)
                except BookingError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Your waitlist entry is changed. It keeps its place in the queue."))
                    return _my_appointments()
    context = {"entry": found, "kind": kind, "form": form, "confirm_leave": confirm_leave}
    return render(request, "waitlist/entries/entry.html", context, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("waitlist/join/<int:type_id>/", join, name="join"),
    path("waitlist/entries/<int:pk>/", entry, name="entry"),
]
