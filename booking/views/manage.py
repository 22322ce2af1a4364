"""My appointments: upcoming and past, cancel and reschedule within policy, the calendar
file, and the patient's signed consents (PDF copy, withdrawal)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import patient_required
from booking import consent_flow, errors, services
from booking.forms import WithdrawForm
from booking.ics import appointment_calendar
from booking.models import Appointment, Clinic
from booking.selectors import consent_zone
from booking.views import common
from consent import access
from consent import selectors as consent_selectors
from consent.models import SignedConsent
from core.addresses import client_ip

Status = Appointment.Status
# Holds that were never finished are not appointments the patient needs to see again.
_ABANDONED = Q(status=Status.CANCELLED, cancel_reason__in=[common.HOLD_EXPIRED, common.REPLACED, "screening_blocked"])


def checkin_url(appointment: Appointment) -> str | None:
    """The symptom check-in page, once the notifications app serves one for signed-in patients."""
    try:
        return reverse("notifications:appointment-checkin", args=[appointment.pk])
    except NoReverseMatch:
        return None


@patient_required
@require_GET
def my_appointments(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    own = (
        Appointment.objects.filter(patient=common.patient_of(request))
        .exclude(_ABANDONED)
        .exclude(status=Status.HELD, hold_expires_at__lte=now)
        .select_related("clinic", "appointment_type", "practitioner")
    )
    upcoming = [a for a in own.filter(end__gte=now, status__in=Appointment.LIVE).order_by("start", "id")]
    past = list(own.exclude(pk__in=[a.pk for a in upcoming]).order_by("-start", "-id")[:50])
    for item in upcoming:
        item.too_late = common.too_late_to_change(item, now)  # type: ignore[attr-defined]
        item.needs_signature = common.may_sign(item, now)  # type: ignore[attr-defined]
    for item in past:
        item.checkin = (  # type: ignore[attr-defined]
            checkin_url(item)
            if item.appointment_type.involves_needling and item.status in (Status.CONFIRMED, Status.COMPLETED)
            else None
        )
    context = {"upcoming": upcoming, "past": past, "consents": _consents(request, now)}
    return render(request, "booking/my_appointments.html", context)


def _consents(request: HttpRequest, now: datetime) -> list[tuple[SignedConsent, str, str]]:
    consents = list(
        SignedConsent.objects.filter(patient=common.patient_of(request))
        .select_related("form_version")
        .prefetch_related("withdrawals")
    )
    clinics = {c.slug: c for c in Clinic.objects.filter(slug__in={c.scope for c in consents})}
    out = []
    for consent in consents:
        clinic = clinics.get(consent.scope)
        valid_since = clinic.consent_valid_since(now) if clinic else now
        state = consent_selectors.consent_status(consent, valid_since=valid_since)
        out.append((consent, state, clinic.time_zone if clinic else "UTC"))
    return out


@patient_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = common.own_appointment(request, pk)
    if appointment.status not in Appointment.LIVE:
        messages.info(request, _("This appointment is already cancelled or over."))
        return redirect("booking:my-appointments")
    too_late = common.too_late_to_change(appointment)
    if request.method == "POST" and not too_late:
        try:
            services.cancel_appointment(appointment, actor=common.user_of(request), reason="cancelled by patient")
        except errors.TooLateToChange as exc:
            messages.error(request, exc.message)
            return redirect("booking:appointment", appointment.pk)
        except errors.BookingError:
            pass  # cancelled meanwhile (a second tap, another tab): the result is the same
        messages.success(request, _("Your appointment is cancelled."))
        return redirect("booking:my-appointments")
    context = {
        "appointment": appointment,
        "clinic": appointment.clinic,
        "too_late": too_late,
    }
    return render(request, "booking/cancel.html", context, status=409 if too_late and request.method == "POST" else 200)


@patient_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The times page again, for the same treatment and practitioner (a new practitioner
    would need a new consent); the appointment keeps its id and its version goes up."""
    appointment = common.own_appointment(request, pk)
    if appointment.status not in (Status.CONFIRMED, Status.PENDING_REVIEW):
        messages.info(request, _("Only a booked appointment can be moved."))
        return redirect("booking:appointment", appointment.pk)
    if common.too_late_to_change(appointment):
        messages.error(request, common.too_late_message(appointment))
        return redirect("booking:appointment", appointment.pk)
    if request.method == "POST":
        return _move(request, appointment)
    kind = appointment.appointment_type
    day = common.parse_day(request.GET.get("day"))
    # The appointment itself is not in the way: the new time may overlap the old one.
    strip = common.day_strip(kind, appointment.practitioner, day, timezone.now(), exclude_appointment_id=appointment.pk)
    context = {
        "kind": kind,
        "clinic": appointment.clinic,
        "practitioner": appointment.practitioner,
        "who": str(appointment.practitioner_id),
        "strip": strip,
        "day_url": reverse("booking:reschedule", args=[appointment.pk]) + "?day=",
        "action": reverse("booking:reschedule", args=[appointment.pk]),
        "appointment": appointment,
        "moving": True,
    }
    return render(request, "booking/times.html", context)


def _move(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    start = common.parse_slot_code(request.POST.get("start", ""))
    if request.POST.get("version") != str(appointment.version):
        # Sent twice, or from a page that is out of date: the first one counted.
        messages.info(request, _("This appointment was already changed. Here it is as it stands now."))
        return redirect("booking:appointment", appointment.pk)
    if start is None:
        messages.error(request, _("Please choose one of the times shown."))
        return redirect("booking:reschedule", appointment.pk)
    try:
        moved = services.reschedule_appointment(appointment, actor=common.user_of(request), start=start)
    except errors.BookingError as exc:
        messages.error(request, exc.message)
        day = start.astimezone(appointment.zone).date().isoformat()
        return redirect(reverse("booking:reschedule", args=[appointment.pk]) + f"?day={day}")
    if moved.version == appointment.version:
        messages.info(request, _("That is already the time of this appointment; nothing changed."))
    else:
        messages.success(request, _("Your appointment has moved to the new time."))
    return redirect("booking:appointment", appointment.pk)


@patient_required
@require_GET
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = common.own_appointment(request, pk)
    response = HttpResponse(appointment_calendar(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acus-appointment-{appointment.pk}.ics"'
    return response


def _own_consent(request: HttpRequest, pk: int) -> SignedConsent:
    return consent_selectors.own_consent(common.patient_of(request), pk)


@patient_required
@require_GET
def consent_download(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _own_consent(request, pk)
    body = access.signed_pdf(
        consent,
        user=common.user_of(request),
        channel="patient_page",
        ip_address=client_ip(request),
        zone=consent_zone(consent),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}.pdf"'
    return response


@patient_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _own_consent(request, pk)
    if consent.withdrawals.exists():
        messages.info(request, _("This consent is already withdrawn."))
        return redirect("booking:my-appointments")
    form = WithdrawForm(common.posted(request))
    if request.method == "POST" and form.is_valid():
        consent_flow.withdraw(consent, by=common.user_of(request), note=form.cleaned_data["note"])
        messages.success(
            request,
            _(
                "Your consent is withdrawn. No needles will be used on the strength of it. "
                "Before another needling visit, we will ask you to answer the health questions and sign again."
            ),
        )
        return redirect("booking:my-appointments")
    upcoming = Appointment.objects.filter(
        consent=consent, status=Status.CONFIRMED, start__gt=timezone.now(), appointment_type__involves_needling=True
    ).select_related("appointment_type", "clinic")
    clinic = Clinic.objects.filter(slug=consent.scope).first()
    context = {
        "consent": consent,
        "form": form,
        "upcoming": list(upcoming),
        "zone": clinic.time_zone if clinic else "UTC",
    }
    return render(request, "booking/withdraw.html", context)
