"""Choosing: a treatment, a practitioner (or the first available), a day and a time, then
holding it. Nothing here needs a session beyond the sign-in: the choice lives in the URL."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import patient_required
from booking import errors, selectors, services
from booking.models import Appointment, AppointmentType, Clinic
from booking.views import common
from core.throttling import page_limit

Status = Appointment.Status


def _bookable(type_id: int) -> AppointmentType:
    return get_object_or_404(AppointmentType.objects.select_related("clinic"), pk=type_id, active=True)


def clinics_with_treatments() -> list[Clinic]:
    active = AppointmentType.objects.filter(active=True).order_by("position", "name", "id")
    return list(
        Clinic.objects.order_by("name", "id").prefetch_related(
            Prefetch("appointment_types", queryset=active, to_attr="bookable")
        )
    )


@require_GET
def treatments(request: HttpRequest) -> HttpResponse:
    clinics = [c for c in clinics_with_treatments() if c.bookable]  # type: ignore[attr-defined]
    return render(request, "booking/treatments.html", {"clinics": clinics})


@require_GET
def practitioners(request: HttpRequest, type_id: int) -> HttpResponse:
    kind = _bookable(type_id)
    people = list(selectors.practitioners_offering(kind).order_by("display_name", "id"))
    return render(request, "booking/practitioners.html", {"kind": kind, "people": people})


@require_GET
def times(request: HttpRequest, type_id: int) -> HttpResponse:
    kind = _bookable(type_id)
    who = request.GET.get("practitioner") or "any"
    practitioner = common.resolve_practitioner(kind, who)
    who = str(practitioner.pk) if practitioner else "any"
    # A deep link (SMART Scheduling Links' booking-deep-link) names one time: open its day with it picked.
    wanted = common.parse_slot_code(request.GET.get(common.TIME_PARAM, ""))
    day = common.parse_day(request.GET.get("day")) or (wanted.astimezone(kind.clinic.zone).date() if wanted else None)
    strip = common.day_strip(kind, practitioner, day, timezone.now())
    chosen = next((s for slots in strip.times.values() for s in slots if s.start == wanted), None)
    context = {
        "kind": kind,
        "clinic": kind.clinic,
        "practitioner": practitioner,
        "who": who,
        "strip": strip,
        "day_url": reverse("booking:times", args=[kind.pk]) + f"?practitioner={who}&day=",
        "action": reverse("booking:hold", args=[kind.pk]),
        "token": secrets.token_urlsafe(16),
        "patient_zone": _patient_zone(request, kind.clinic),
        "chosen": chosen,
        "chosen_gone": wanted is not None and chosen is None,
    }
    return render(request, "booking/times.html", context)


def _patient_zone(request: HttpRequest, clinic: Clinic) -> str:
    """The patient's own zone, when they set one that differs from the clinic's."""
    patient = getattr(request.user, "patient", None)
    zone = getattr(patient, "time_zone", "") or ""
    return zone if zone and zone != clinic.time_zone else ""


@patient_required
@require_GET
def hold_choice(request: HttpRequest, type_id: int, who: str, code: str) -> HttpResponse:
    """Back from signing in: the chosen time, with one button to hold it."""
    kind = _bookable(type_id)
    practitioner = common.resolve_practitioner(kind, who)
    start = common.parse_slot_code(code)
    if start is None:
        messages.error(request, _("That time is not one we offer. Please choose a time."))
        return redirect(common.times_url(kind, who))
    context = {
        "kind": kind,
        "clinic": kind.clinic,
        "practitioner": practitioner,
        "who": who if practitioner else "any",
        "start": start,
        "code": code,
        "token": secrets.token_urlsafe(16),
        "times_url": common.times_url(kind, who, start.astimezone(kind.clinic.zone).date()),
    }
    return render(request, "booking/hold_choice.html", context)


@require_POST
def hold(request: HttpRequest, type_id: int) -> HttpResponse:
    kind = _bookable(type_id)
    practitioner = common.resolve_practitioner(kind, request.POST.get("practitioner"))
    who = str(practitioner.pk) if practitioner else "any"
    code = request.POST.get("start", "")
    start = common.parse_slot_code(code)
    if start is None:
        messages.error(request, _("Please choose one of the times shown."))
        return redirect(common.times_url(kind, who))
    day = start.astimezone(kind.clinic.zone).date()
    if not (request.user.is_authenticated and hasattr(request.user, "patient")):
        # Sign in first; the chosen time waits in the URL, not in a session.
        query = urlencode({"next": reverse("booking:hold-choice", args=[kind.pk, who, code])})
        return redirect(f"{reverse('accounts:patient-sign-in')}?{query}")
    patient = common.patient_of(request)
    if limited := page_limit(request, "appointment_hold"):  # the API's limit, in the same bucket
        return limited
    key = common.idempotency_key(request.POST.get("token", ""), who, code)
    try:
        try:
            appointment = services.hold_appointment(
                patient, appointment_type=kind, start=start, practitioner=practitioner, idempotency_key=key
            )
        except errors.PatientBusy:
            # Often the patient's own unfinished hold, from before they went back to
            # choose again: they chose this time instead, so let the other go and retry.
            if not _give_up_other_holds(request, keep=None):
                raise
            appointment = services.hold_appointment(
                patient, appointment_type=kind, start=start, practitioner=practitioner, idempotency_key=key
            )
    except errors.IdempotencyConflict:
        existing = Appointment.objects.filter(patient=patient, idempotency_key=key).first()
        if existing is None:  # pragma: no cover - the service raises only when the key exists
            raise
        return redirect("booking:appointment", existing.pk)
    except errors.BookingError as exc:
        messages.error(request, exc.message)
        return redirect(common.times_url(kind, who, day))
    _give_up_other_holds(request, keep=appointment)
    if appointment.status != Status.HELD:
        return redirect("booking:appointment", appointment.pk)  # a replay of a finished booking
    return redirect("booking:details", appointment.pk)


def _give_up_other_holds(request: HttpRequest, *, keep: Appointment | None) -> int:
    """One unfinished booking at a time: choosing another time (going back, or in a
    second tab) releases the earlier hold, so a patient never ends up with two."""
    now = timezone.now()
    others = Appointment.objects.filter(patient=common.patient_of(request), status=Status.HELD, hold_expires_at__gt=now)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    released = 0
    for other in others:
        try:
            services.cancel_appointment(other, actor=common.user_of(request), reason=common.REPLACED)
        except errors.BookingError:
            continue  # it expired or finished meanwhile: nothing to release
        released += 1
    return released
