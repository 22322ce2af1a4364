"""The steps after a time is held: details, health questions, consent (or "has your
health changed?"), and the outcome. The journey's state is the appointment row and,
between the health questions and the consent, the screening's id in the URL."""

from __future__ import annotations

import contextlib
import secrets

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services as account_services
from accounts.decorators import patient_required
from booking import consent_documents, consent_flow, errors, selectors, services
from booking.forms import GUARDIAN_AUTHORITY, ConsentSignForm, DetailsForm, HealthChangedForm, ScreeningForm
from booking.models import Appointment, AppointmentType
from booking.views import common
from consent import documents
from consent import services as consent_services
from consent.models import ConsentFormTranslation, ConsentFormVersion, Outcome, ScreeningResponse
from core.addresses import client_ip

Status = Appointment.Status
WEB_AUTH_METHOD = "emailed one-time code, web session"  # fits auth_method (40)


def _to_appointment(appointment: Appointment) -> HttpResponse:
    return redirect("booking:appointment", appointment.pk)


def _step_context(appointment: Appointment, step: int, **extra: object) -> dict[str, object]:
    needling = appointment.appointment_type.involves_needling
    return {
        "appointment": appointment,
        "clinic": appointment.clinic,
        "hold": common.hold_banner(appointment),
        "step": step,
        "steps": 3 if needling else 1,
        **extra,
    }


@patient_required
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = common.own_appointment(request, pk)
    if not common.hold_is_active(appointment):
        return _to_appointment(appointment)
    patient = common.patient_of(request)
    initial = {"legal_name": patient.legal_name, "date_of_birth": patient.date_of_birth, "phone": patient.phone}
    form = DetailsForm(common.posted(request), initial=initial)
    form.phone_region = appointment.clinic.country  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        account_services.update_patient_profile(patient, changes=dict(form.cleaned_data))
        if not appointment.appointment_type.involves_needling:
            # Expired, or confirmed by a first tap: the appointment page says which.
            with contextlib.suppress(errors.BookingError):
                services.confirm_appointment(appointment, actor=common.user_of(request))
            return _to_appointment(appointment)
        # A consent still waiting for its review leads to the question too: the visit then waits with it.
        cover = consent_flow.existing_cover(patient, appointment)
        return redirect("booking:health" if cover else "booking:screening", appointment.pk)
    return render(request, "booking/details.html", _step_context(appointment, 1, form=form))


@patient_required
@require_http_methods(["GET", "POST"])
def health(request: HttpRequest, pk: int) -> HttpResponse:
    """A later needling visit: "has your health changed since you signed?"."""
    appointment = common.own_appointment(request, pk)
    if not common.hold_is_active(appointment) or not appointment.appointment_type.involves_needling:
        return _to_appointment(appointment)
    patient = common.patient_of(request)
    cover = consent_flow.existing_cover(patient, appointment)
    if cover is None:
        return redirect("booking:screening", appointment.pk)
    form = HealthChangedForm(common.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            consent_flow.confirm_with_existing_consent(
                patient, appointment_id=appointment.pk, health_unchanged=form.cleaned_data["changed"] == "no"
            )
        except consent_flow.ConsentRequired as exc:
            messages.info(request, exc.message)
            return redirect("booking:screening", appointment.pk)
        except errors.BookingError:
            pass  # expired, or a second tap after the first confirmed it
        return _to_appointment(appointment)
    context = _step_context(appointment, 2, form=form, consent=cover.consent, needs_review=cover.needs_review)
    return render(request, "booking/health.html", context)


@patient_required
@require_http_methods(["GET", "POST"])
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = common.own_appointment(request, pk)
    if not common.may_sign(appointment):
        return _to_appointment(appointment)
    patient = common.patient_of(request)
    if not patient.legal_name or patient.date_of_birth is None:
        return redirect("booking:details", appointment.pk)
    questionnaire = consent_documents.offered_questionnaire(patient, appointment.clinic)
    if questionnaire is None:
        return render(request, "booking/not_ready.html", {"clinic": appointment.clinic}, status=503)
    form = ScreeningForm(questionnaire.shown, common.posted(request))  # type: ignore[arg-type]  # same ids
    if request.method == "POST" and form.is_valid():
        try:
            response = consent_flow.screen(
                patient,
                questionnaire=questionnaire.source,
                answers=form.answers(),
                clinic=appointment.clinic,
                visit_day=common.local_day(appointment),
                translation=questionnaire.translation,
            )
        except consent_services.ConsentError as exc:
            for key, problems in exc.fields.items():
                name = key.removeprefix("answers.")
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            if response.outcome == Outcome.BLOCK:
                _release_blocked_hold(request, appointment)
                return redirect(reverse("booking:not-suitable", args=[appointment.pk]) + f"?screening={response.pk}")
            return redirect(reverse("booking:consent", args=[appointment.pk]) + f"?screening={response.pk}")
    notice = consent_documents.translation_notice(questionnaire)
    context = _step_context(appointment, 2, form=form, questionnaire=questionnaire, translation_notice=notice)
    return render(request, "booking/screening.html", context)


def _release_blocked_hold(request: HttpRequest, appointment: Appointment) -> None:
    """Needling cannot go ahead: free the time at once, so the patient (or anyone) can
    book the non-needling assessment then."""
    if appointment.status != Status.HELD:
        return  # a booked visit waits for the practitioner; the page says to call
    with contextlib.suppress(errors.BookingError):
        services.cancel_appointment(appointment, actor=common.user_of(request), reason="screening_blocked")


def _own_screening(request: HttpRequest, appointment: Appointment) -> ScreeningResponse | None:
    """The screening named in the URL: the patient's own, for this clinic, answered for this booking."""
    raw = request.POST.get("screening") or request.GET.get("screening") or ""
    if not raw.isdigit():
        return None
    return (
        ScreeningResponse.objects.select_related("questionnaire_version")
        .filter(
            pk=int(raw),
            patient=common.patient_of(request),
            questionnaire_version__scope=appointment.clinic.slug,
            created_at__gte=appointment.created_at,
        )
        .first()
    )


@patient_required
@require_GET
def not_suitable(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = common.own_appointment(request, pk)
    response = _own_screening(request, appointment)
    if response is None or response.outcome != Outcome.BLOCK:
        raise Http404("No such screening")
    alternatives = list(consent_flow.non_needling_alternatives(appointment.clinic))
    context = {
        "appointment": appointment,
        "clinic": appointment.clinic,
        "reasons": consent_documents.shown_reasons(response, Outcome.BLOCK),
        "alternatives": [(kind, _same_day_times(kind, appointment)) for kind in alternatives],
    }
    return render(request, "booking/not_suitable.html", context)


def _same_day_times(kind: AppointmentType, appointment: Appointment) -> str:
    """The alternative's times on the same day, with the same practitioner if they offer it."""
    offers = selectors.practitioners_offering(kind).filter(pk=appointment.practitioner_id).exists()
    return common.times_url(kind, str(appointment.practitioner_id) if offers else "any", common.local_day(appointment))


@patient_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = common.own_appointment(request, pk)
    if not common.may_sign(appointment):
        return _to_appointment(appointment)
    response = _own_screening(request, appointment)
    if response is None:
        messages.info(request, _("Please answer the health questions first."))
        return redirect("booking:screening", appointment.pk)
    if response.outcome == Outcome.BLOCK:
        return redirect(reverse("booking:not-suitable", args=[appointment.pk]) + f"?screening={response.pk}")
    patient = common.patient_of(request)
    clinic = appointment.clinic
    offered = consent_documents.offered_form(patient, clinic)
    if offered is None:
        return render(request, "booking/not_ready.html", {"clinic": clinic}, status=503)
    form_version, shown = offered.source, offered.shown  # shown: the reviewed translation, else the source
    render_context = consent_flow.render_context(appointment)
    minor = consent_flow.is_minor(patient, clinic, common.local_day(appointment))
    canonical = offered.canonical()
    form = ConsentSignForm(
        shown,  # type: ignore[arg-type]  # a translation has the source's acknowledgement ids
        common.posted(request),
        minor=minor,
        patient_name=patient.legal_name,
        e_records_disclosure=documents.fill(shown.e_records_disclosure, render_context),
    )
    read = request.POST.get("form_version", "")  # what the page showed (older pages send none)
    if request.method == "POST" and read and read != offered.pk:
        # Published while the patient was reading: show the new text rather than sign words they never saw.
        form.add_error(None, _("A newer consent form has been published: please read it before you sign."))
    elif request.method == "POST" and form.is_valid():
        outcome = _sign(request, appointment, form, form_version, response, offered.translation)
        if outcome is not None:
            return outcome
    context = _step_context(
        appointment,
        3,
        form=form,
        form_version=offered,
        screening=response,
        review_reasons=consent_documents.shown_reasons(response, Outcome.REVIEW),
        sections=documents.rendered_sections(canonical, render_context),
        side_effects=[
            {key: documents.fill(str(value), render_context) for key, value in effect.items()}
            for effect in shown.side_effects
        ],
        intent=documents.fill(shown.intent_statement, render_context),
        minor=minor,
        translation_notice=consent_documents.translation_notice(offered),
    )
    return render(request, "booking/consent.html", context)


def _sign(
    request: HttpRequest,
    appointment: Appointment,
    form: ConsentSignForm,
    form_version: ConsentFormVersion,
    response: ScreeningResponse,
    translation: ConsentFormTranslation | None,
) -> HttpResponse | None:
    """Sign, or put the service's objections on the form (and answer None)."""
    patient = common.patient_of(request)
    user = common.user_of(request)
    data = form.cleaned_data
    guardian = (
        consent_services.Guardian(
            relationship=data["guardian_relationship"],
            authority=str(GUARDIAN_AUTHORITY) if data["guardian_authority"] else "",
            minor_assent=data["minor_assent"],
        )
        if form.minor
        else None
    )
    signature = consent_flow.SignatureRequest(
        form=form_version,
        screening=response,
        typed_name=data["typed_name"],
        acknowledgements=form.acknowledgements(),
        e_records_accepted=data["e_records_accepted"],
        guardian=guardian,
        signature_svg=data.get("signature_svg") or "",
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        auth_method=WEB_AUTH_METHOD,
        authenticated_at=user.last_login,
        translation=translation,
    )
    try:
        with transaction.atomic():
            # One signature per visit, even when the button is tapped twice or the
            # form is sent from two tabs: the second waits here, then sees the first.
            locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if locked.consent_id is not None and not common.consent_withdrawn(locked):
                return _to_appointment(appointment)
            consent_flow.sign_for_appointment(patient, appointment_id=appointment.pk, request=signature)
    except consent_flow.ScreeningBlocked:
        return redirect(reverse("booking:not-suitable", args=[appointment.pk]) + f"?screening={response.pk}")
    except consent_services.ConsentError as exc:
        if "date_of_birth" in exc.fields:
            return redirect("booking:details", appointment.pk)
        if "screening" in exc.fields:
            # Not the latest answers, or the questions changed: only answering again helps.
            messages.info(request, " ".join(exc.fields["screening"]))
            return redirect("booking:screening", appointment.pk)
        form.add_service_errors(exc.fields)
        return None
    except errors.BookingError:
        pass  # the hold ran out, or the visit is no longer waiting: the appointment page says which
    return _to_appointment(appointment)


@patient_required
@require_GET
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """The end of the journey, and the page of one appointment: what state it is in and what happens next."""
    appointment = common.own_appointment(request, pk)
    now = timezone.now()
    if common.hold_is_active(appointment, now):
        return redirect("booking:details", appointment.pk)
    if common.hold_has_expired(appointment, now):
        kind = appointment.appointment_type
        context = {
            "appointment": appointment,
            "clinic": appointment.clinic,
            "kind": kind,
            "slots": common.next_free_times(kind, appointment.practitioner, now),
            "action": reverse("booking:hold", args=[kind.pk]),
            "token": secrets.token_urlsafe(16),
            "times_url": common.times_url(kind, str(appointment.practitioner_id)),
            "any_url": common.times_url(kind, "any"),
        }
        return render(request, "booking/hold_expired.html", context)
    screening = appointment.screening
    context = {
        "appointment": appointment,
        "clinic": appointment.clinic,
        "review_reasons": consent_documents.shown_reasons(screening, Outcome.REVIEW) if screening else [],
        "needs_signature": common.may_sign(appointment, now),
        "too_late": common.too_late_to_change(appointment, now),
        "upcoming": appointment.end > now,
    }
    return render(request, "booking/appointment.html", context)
