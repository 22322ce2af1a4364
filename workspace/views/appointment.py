"""One appointment: the patient, their screening and consent, earlier notes and the
pain trend; and what staff do with it (arrived, completed, no-show, cancel, move,
session notes, the review decision, reading the exact signed consent text)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_verified_required
from booking import consent_flow, errors, selectors, services
from booking.models import RED_FLAGS, Appointment, SessionNote
from care import services as care_services
from care.selectors.health import answer_of
from consent import access, documents
from consent import services as consent_services
from core import formats
from core.addresses import client_ip
from workspace import forms
from workspace import services as staff_services
from workspace.chart import pain_chart
from workspace.selectors import appointment_page
from workspace.views.base import appointment_or_404, page, parse_day, user_of

Status = Appointment.Status


def _detail_url(appointment: Appointment) -> str:
    return reverse("staff:appointment", args=[appointment.pk])


def _allowed(appointment: Appointment, *, arrived: bool, now: datetime) -> dict[str, bool]:
    confirmed = appointment.status == Status.CONFIRMED
    started = now >= appointment.start
    return {
        "arrive": confirmed and not arrived and now >= appointment.start - staff_services.ARRIVAL_EARLIEST,
        "complete": confirmed and started,
        "no_show": confirmed and started,
        "change": appointment.status in (Status.CONFIRMED, Status.PENDING_REVIEW) and appointment.end > now,
        "note": appointment.status in (Status.CONFIRMED, Status.COMPLETED) and started,
        "review": appointment.status == Status.PENDING_REVIEW and appointment.screening_id is not None,
    }


def _render_detail(
    request: HttpRequest, pk: int, *, review_form: forms.ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    record = appointment_page.appointment_file(user_of(request), pk)
    if record is None:
        raise Http404("No such appointment among yours")
    appointment = record.appointment
    chart = pain_chart(record.pain, zone=appointment.clinic.zone, id_prefix=f"pain-{appointment.pk}")
    context: dict[str, Any] = {
        "record": record,
        "appointment": appointment,
        "entry": record.entry,
        "zone_name": appointment.time_zone,
        "chart": chart,
        "can": _allowed(appointment, arrived=record.entry.arrived, now=timezone.now()),
        "review_form": review_form or forms.ReviewForm(),
        **_health_change(appointment),
    }
    return page(request, "workspace/appointment.html", "appointment", context, status=status)


def _health_change(appointment: Appointment) -> dict[str, Any]:
    """The patient's answer to "has anything changed in your health?" before a later course visit."""
    answer = answer_of(appointment)
    if answer is None:
        return {"health_change": None}
    answers = appointment_page.screening_answers(answer.screening)[0] if answer.screening else []
    return {"health_change": answer, "health_change_answers": answers}


@staff_verified_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    appointment = appointment_or_404(request, pk)
    try:
        action(appointment, actor=user_of(request))
    except errors.BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_detail_url(appointment))


@staff_verified_required
@require_POST
def arrived(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, staff_services.mark_arrived, _("Marked arrived."))


@staff_verified_required
@require_POST
def completed(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, care_services.complete_session, _("Marked completed."))


@staff_verified_required
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.mark_no_show, _("Marked as a no-show."))


@staff_verified_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_or_404(request, pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_appointment(
                appointment, actor=user_of(request), reason=form.cleaned_data["reason"], override=True
            )
        except errors.BookingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The appointment is cancelled. The patient is told, with your reason."))
            return redirect(_detail_url(appointment))
    context = {"appointment": appointment, "form": form, "zone_name": appointment.time_zone}
    status = 400 if form.errors else 200
    return page(request, "workspace/cancel.html", "appointment", context, status=status)


def _free_times(appointment: Appointment, day: Any, now: datetime) -> list[tuple[str, str]]:
    """Free starts for this visit on a local day. The visit itself is not in the way, so
    times that overlap it are offered; its own start is not (moving there changes nothing)."""
    clinic = appointment.clinic
    start = datetime.combine(day, datetime.min.time(), clinic.zone)
    end = start + timedelta(days=1)
    schedule = selectors.load_schedules(
        clinic=clinic,
        practitioner_ids=[appointment.practitioner_id],
        start=start,
        end=end,
        now=now,
        exclude_appointment_id=appointment.pk,
    )[appointment.practitioner_id]
    slots = selectors.slots_for_practitioner(
        appointment_type=appointment.appointment_type, schedule=schedule, start=start, end=end, now=now
    )
    return [(s.start.isoformat(), formats.clock(s.start.astimezone(clinic.zone))) for s in slots]


@staff_verified_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_or_404(request, pk)
    now = timezone.now()
    source = request.POST if request.method == "POST" else request.GET
    day = parse_day(source.get("day")) or appointment.local_start.date()
    times = _free_times(appointment, day, now)
    form = forms.MoveForm(request.POST or None, times=times)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_appointment(
                appointment,
                actor=user_of(request),
                start=datetime.fromisoformat(form.cleaned_data["start"]),
                reason=form.cleaned_data["reason"],
                override=True,
            )
        except errors.BookingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The appointment is moved. The patient is told the new time."))
            return redirect(_detail_url(appointment))
    context = {
        "appointment": appointment,
        "form": form,
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "zone_name": appointment.time_zone,
    }
    status = 400 if form.errors else 200
    return page(request, "workspace/move.html", "appointment", context, status=status)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_or_404(request, pk)
    needling = appointment.appointment_type.involves_needling
    existing = SessionNote.objects.filter(appointment=appointment).first()
    initial = forms.SessionNoteForm.initial_from(existing) if existing else None
    form = forms.SessionNoteForm(request.POST or None, initial=initial, needling=needling)
    if request.method == "POST" and form.is_valid():
        finish = request.POST.get("then") == "complete"
        save = care_services.record_note_and_complete if finish else care_services.record_session_note
        try:
            saved = save(appointment, author=user_of(request), note=form.note())
        except staff_services.InvalidInput as exc:
            for name, problems in exc.fields.items():
                form.add_error(name if name in form.fields else None, problems)
        except errors.BookingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Notes saved; session marked completed.") if finish else _("Notes saved."))
            if RED_FLAGS & set(saved.adverse_events):
                messages.warning(
                    request,
                    _("You recorded a sign of a possible pneumothorax. Follow the clinic's emergency procedure now."),
                )
            return redirect(_detail_url(appointment))
    context = {
        "appointment": appointment,
        "form": form,
        "needling": needling,
        "existing": existing,
        "can_complete": appointment.status == Status.CONFIRMED,
        "zone_name": appointment.time_zone,
    }
    status = 400 if form.errors else 200
    return page(request, "workspace/notes.html", "appointment", context, status=status)


@staff_verified_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_or_404(request, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, review_form=form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        consent_flow.decide_review(
            appointment, reviewer=user_of(request), approve=approve, note=form.cleaned_data["note"]
        )
    except consent_services.ConsentError as exc:
        for name, problems in exc.fields.items():
            form.add_error(name if name in form.fields else None, problems)
        return _render_detail(request, pk, review_form=form, status=exc.status)
    except errors.BookingError as exc:
        form.add_error(None, exc.message)
        return _render_detail(request, pk, review_form=form, status=exc.status)
    if approve:
        messages.success(request, _("Approved: the appointment is confirmed and the patient is told."))
    else:
        messages.success(request, _("Declined: the time is freed and the patient is told your reason."))
    return redirect(reverse("staff:reviews"))


@staff_verified_required
@require_GET
def consent_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The exact text the patient signed, rebuilt from the form version and what
    filled its blanks. Reading it writes an access-log row in the same transaction."""
    appointment = appointment_or_404(request, pk)
    consent = appointment_page.covering_consent(appointment)
    if consent is None:
        raise Http404("No consent covers this visit")
    text = access.signed_text(consent, user=user_of(request), channel="staff_page", ip_address=client_ip(request))
    signature = access.signature_data_uri(consent)
    context = {
        "appointment": appointment,
        "consent": consent,
        "paragraphs": text.split("\n"),
        "text_matches": documents.sha256_text(text) == consent.rendered_text_sha256,
        "signature": signature,
        "zone_name": appointment.time_zone,
    }
    return page(request, "workspace/consent_text.html", "appointment", context)
