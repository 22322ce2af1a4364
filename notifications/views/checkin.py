"""The symptom check-in page a patient opens from the email link (no sign-in).

Thin: read the signed link, then show the form, record through
care.symptoms, and show the result. A tampered link is a 400 page and an
expired one a 410 page; neither records anything."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.decorators import patient_required
from booking import errors
from booking.models import Appointment, SymptomReport
from booking.selectors import own_appointment
from care.symptoms import EMERGENCY_ADVICE, record_symptoms
from core.throttling import page_limit, user_bucket
from notifications import checkin as links
from notifications.content import format_when
from notifications.forms import CheckinForm
from notifications.selectors import patient_zone


def _visit(appointment: Appointment) -> dict[str, object]:
    return {
        "appointment": appointment,
        "clinic": appointment.clinic,
        "when": format_when(appointment.start, patient_zone(appointment)),
        "emergency_advice": EMERGENCY_ADVICE,
    }


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, links.ExpiredLink):
        context = {"expired": True, "clinic": error.appointment.clinic}
        return render(request, "notifications/pages/checkin_invalid.html", context, status=410)
    return render(request, "notifications/pages/checkin_invalid.html", {"expired": False}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    try:
        appointment = links.read_token(token)
    except (links.BadLink, links.ExpiredLink) as exc:
        return _refused(request, exc)
    form = CheckinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The API's limit, in the patient's bucket: whoever holds the link, it is their visit.
        if limited := page_limit(request, "checkin", user_bucket(appointment.patient.user_id, "checkin")):
            return limited
        data = form.cleaned_data
        try:
            record_symptoms(
                appointment, pain_now=data["pain_now"], side_effects=data["side_effects"], notes=data["notes"]
            )
        except errors.BookingError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("notifications:checkin-done", token=token)
    status = 400 if form.is_bound else 200
    return render(request, "notifications/pages/checkin.html", {**_visit(appointment), "form": form}, status=status)


@never_cache
@require_http_methods(["GET"])
def checkin_done(request: HttpRequest, token: str) -> HttpResponse:
    try:
        appointment = links.read_token(token)
    except (links.BadLink, links.ExpiredLink) as exc:
        return _refused(request, exc)
    report = SymptomReport.objects.filter(appointment=appointment).order_by("-created_at", "-id").first()
    if report is None:
        return redirect("notifications:checkin", token=token)
    return render(request, "notifications/pages/checkin_done.html", {**_visit(appointment), "report": report})


@patient_required
def appointment_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """From My appointments: a signed-in patient's own visit, to its signed check-in link."""
    appointment = own_appointment(request.user.patient, pk)  # type: ignore[union-attr]
    return redirect(links.checkin_url(appointment))
