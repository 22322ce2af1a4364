"""Where screening and consent meet the booking: outcomes drive the appointment.

clear -> the held appointment is confirmed; review -> it waits as pending_review
until a practitioner approves or declines; block -> needling cannot be confirmed
and the patient is offered the clinic's non-needling treatments.

A later visit leans on the patient's newest consent only as far as its screening
allows (consent.selectors.consent_cover): clear, or approved on review, confirms;
a review nobody has decided yet makes the visit wait for it too; a decline ends
the consent, like a withdrawal, so the patient screens and signs again. It covers only
a visit with the practitioner it was signed for (existing_cover)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient, User
from accounts.services import age_on
from booking import errors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Credential
from booking.signals import Change, FreeCause, appointment_changed
from consent import selectors as consent_selectors
from consent import services as consent_services
from consent.models import (
    ConsentFormTranslation,
    ConsentFormVersion,
    ConsentWithdrawal,
    Outcome,
    QuestionnaireTranslation,
    QuestionnaireVersion,
    ScreeningResponse,
    ScreeningReview,
    SignedConsent,
)
from core import metrics

Status = Appointment.Status


class ConsentRequired(errors.BookingError):
    code = "consent_required"


class ScreeningBlocked(errors.BookingError):
    code = "screening_blocked"


def is_minor(patient: Patient, clinic: Clinic, on: date) -> bool:
    if patient.date_of_birth is None:
        raise consent_services.ConsentError({"date_of_birth": [_("Add your date of birth to your details first.")]})
    return age_on(patient.date_of_birth, on) < clinic.age_of_majority


def non_needling_alternatives(clinic: Clinic) -> QuerySet[AppointmentType]:
    return AppointmentType.objects.filter(clinic=clinic, involves_needling=False, active=True)


def training_disclosure(appointment: Appointment) -> str:
    """The practitioner's dry-needling training, as the consent form states it."""
    day = appointment.start.astimezone(appointment.clinic.zone).date()
    name = appointment.practitioner.display_name
    credential = next(
        (
            c
            for c in appointment.practitioner.credentials.filter(kind=Credential.Kind.DRY_NEEDLING)
            if c.covers(day, appointment.clinic.jurisdiction)
        ),
        None,
    )
    if credential is None:
        return f"{name} has no dry-needling certification on record for this date."
    parts = [f"{name} holds a dry-needling certification from {credential.issuer} (number {credential.number})"]
    if credential.training_hours:
        hours = f"{credential.training_hours} hours of training"
        if credential.in_person_hours:
            hours += f", {credential.in_person_hours} of them in person"
        parts.append(hours)
    if credential.supervised_sessions:
        parts.append(f"{credential.supervised_sessions} supervised sessions")
    until = f", valid until {credential.valid_until:%d %B %Y}" if credential.valid_until else ""
    return "; ".join(parts) + until + "."


def render_context(appointment: Appointment) -> dict[str, str]:
    return {
        "clinic_name": appointment.clinic.name,
        "practitioner_name": appointment.practitioner.display_name,
        "practitioner_disclosure": training_disclosure(appointment),
    }


def _own_needling_appointment(patient: Patient, appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.select_related("clinic", "practitioner", "appointment_type")
        .filter(pk=appointment_id, patient=patient)
        .first()
    )
    if appointment is None:
        raise errors.BookingError(_("Unknown appointment."), code="not_found")
    if not appointment.appointment_type.involves_needling:
        raise errors.InvalidTransition(_("This appointment does not involve needling, so it needs no consent."))
    return appointment


def screen(
    patient: Patient,
    *,
    questionnaire: QuestionnaireVersion,
    answers: dict[str, Any],
    clinic: Clinic,
    visit_day: date,
    translation: QuestionnaireTranslation | None = None,
) -> ScreeningResponse:
    """Answers by the source's ids, judged by its rules; the language shown is recorded."""
    return consent_services.record_screening(
        patient,
        questionnaire=questionnaire,
        answers=answers,
        is_minor=is_minor(patient, clinic, visit_day),
        translation=translation,
        language=clinic.language,
    )


@dataclass(frozen=True)
class SignatureRequest:
    form: ConsentFormVersion
    screening: ScreeningResponse
    typed_name: str
    acknowledgements: list[str]
    e_records_accepted: bool
    guardian: consent_services.Guardian | None
    signature_svg: str
    ip_address: str | None
    user_agent: str
    auth_method: str
    authenticated_at: datetime | None
    translation: ConsentFormTranslation | None = None  # the reviewed translation read, if any


def _lock_waiting_for_consent(appointment: Appointment) -> None:
    """Lock the visit (so a double submit or a second tab cannot act twice) and refuse
    unless it waits for a consent: a running hold, or a visit without a live consent."""
    Appointment.objects.select_for_update(of=("self",)).filter(pk=appointment.pk).values("pk").first()
    appointment.refresh_from_db(fields=["status", "consent", "hold_expires_at"])
    if appointment.status not in (Status.HELD, Status.PENDING_REVIEW):
        raise errors.InvalidTransition(_("This appointment is not waiting for a consent."))
    if appointment.consent_id and not ConsentWithdrawal.objects.filter(consent_id=appointment.consent_id).exists():
        raise errors.InvalidTransition(_("This appointment already has a signed consent."), code="already_signed")
    if appointment.hold_expires_at and appointment.hold_expires_at <= timezone.now():
        raise errors.HoldExpired(_("The hold on this time ran out. Please choose a time again."))


def sign_for_appointment(patient: Patient, *, appointment_id: int, request: SignatureRequest) -> SignedConsent:
    """Sign the consent for a held needling appointment and let the screening decide its fate."""
    with transaction.atomic():
        appointment = _own_needling_appointment(patient, appointment_id)
        _lock_waiting_for_consent(appointment)
        if request.screening.outcome == Outcome.BLOCK:
            raise ScreeningBlocked(_("Your health answers mean dry needling is not right for you now."))
        visit_day = appointment.start.astimezone(appointment.clinic.zone).date()
        consent = consent_services.sign_consent(
            patient,
            form=request.form,
            screening_response=request.screening,
            typed_name=request.typed_name,
            acknowledgements=request.acknowledgements,
            e_records_accepted=request.e_records_accepted,
            guardian=request.guardian,
            signature_svg=request.signature_svg,
            context=consent_services.SigningContext(
                scope=appointment.clinic.slug,
                render_context=render_context(appointment),
                is_minor=is_minor(patient, appointment.clinic, visit_day),
                ip_address=request.ip_address,
                user_agent=request.user_agent,
                auth_method=request.auth_method,
                authenticated_at=request.authenticated_at,
                language=appointment.clinic.language,
            ),
            translation=request.translation,
            # The answers must be given for this visit: the pages take only a screening
            # answered since the visit was held (booking.views.steps._own_screening).
            screened_since=appointment.created_at,
        )
        _link(appointment, consent, request.screening, actor=patient.user)
        if request.screening.outcome == Outcome.REVIEW:
            _send_for_review(appointment, actor=patient.user)
        else:
            services.confirm_appointment(appointment, actor=patient.user)
    return consent


def _link(appointment: Appointment, consent: SignedConsent, screening: ScreeningResponse, *, actor: User) -> None:
    Appointment.objects.filter(pk=appointment.pk).update(consent=consent, screening=screening)
    AppointmentEvent.objects.create(
        appointment=appointment,
        action=AppointmentEvent.Action.CONSENT_LINKED,
        actor=actor,
        data={"consent": consent.pk, "screening": screening.pk, "outcome": screening.outcome},
    )


def _send_for_review(appointment: Appointment, *, actor: User) -> None:
    updated = Appointment.objects.filter(pk=appointment.pk, status__in=Appointment.LIVE).update(
        status=Status.PENDING_REVIEW, hold_expires_at=None, updated_at=timezone.now()
    )
    if updated:
        appointment.refresh_from_db()
        services.record_event(appointment, AppointmentEvent.Action.SENT_FOR_REVIEW, actor)


def existing_cover(patient: Patient, appointment: Appointment) -> consent_selectors.Cover | None:
    """What the patient's consent does for this later visit: see consent_selectors.consent_cover.

    It covers only a visit with the practitioner it was signed for. Re-consent, as for a
    visit moved to a colleague (booking.services.changes._consent_left_behind): FACTS.md
    section 3 names a new treating practitioner as a trigger, and the signed text names
    the first practitioner and their training. A visit with anyone else gets no cover,
    so the patient answers the health questions and signs that practitioner's text."""
    clinic = appointment.clinic
    cover = consent_selectors.consent_cover(
        patient, scope=clinic.slug, valid_since=clinic.consent_valid_since(appointment.start)
    )
    if cover is None or signed_for_practitioner(cover.consent) != appointment.practitioner_id:
        return None
    return cover


def signed_for_practitioner(consent: SignedConsent) -> int | None:
    """The practitioner a consent was signed for, in one query; None when unknown.

    Taken from the audit trail, not by comparing render_context["practitioner_name"]:
    display names change and two colleagues can share one. The consent is signed for the
    visit it is first linked to (sign_for_appointment links it in the same transaction),
    so: that visit's first CONSENT_LINKED event for this consent, and its practitioner at
    that moment. That visit may have moved to a colleague since (the move lets go of the
    consent, but the consent stays good for the first practitioner's visits), so the first
    move after the link, if any, gives the practitioner from its "before"; otherwise the
    visit's practitioner now is the one it was linked with."""
    Action = AppointmentEvent.Action
    moved_after = AppointmentEvent.objects.filter(
        appointment=OuterRef("appointment"), action=Action.RESCHEDULED, pk__gt=OuterRef("pk")
    ).order_by("pk")
    first_link = (
        # Through the patient's own visits (indexed), not a scan of every event's data.
        AppointmentEvent.objects.filter(
            appointment__patient_id=consent.patient_id, action=Action.CONSENT_LINKED, data__consent=consent.pk
        )
        .annotate(moved_from=Subquery(moved_after.annotate(p=KT("data__before__practitioner")).values("p")[:1]))
        .order_by("pk")
        .values("appointment__practitioner_id", "moved_from")
        .first()
    )
    if first_link is None:
        return None
    if first_link["moved_from"] is not None:
        return int(first_link["moved_from"])
    return int(first_link["appointment__practitioner_id"])


def _lock_held_visit(appointment: Appointment) -> None:
    """Only a visit on a running hold may lean on an existing consent, as on the pages.
    One back in pending_review without a live consent (withdrawn, declined, or moved to
    another practitioner) needs a new screening and signature, never the old consent
    again; one a practitioner is still deciding waits for them."""
    _lock_waiting_for_consent(appointment)
    if appointment.status == Status.PENDING_REVIEW:
        raise ConsentRequired(_("This visit needs a new signature: please answer the health questions and sign again."))


def confirm_with_existing_consent(patient: Patient, *, appointment_id: int, health_unchanged: bool) -> Appointment:
    """A later needling visit: the patient confirms that nothing changed in their health.

    A consent whose screening was clear, or approved on review, confirms the visit. One
    whose review is still undecided links the visit and sends it to wait in the review
    queue with the first: a practitioner must look before either goes ahead. A change in
    health ends the consent (recorded and committed) and asks for a new screening and
    signature."""
    with transaction.atomic():
        appointment = _own_needling_appointment(patient, appointment_id)
        cover = existing_cover(patient, appointment)
        if cover is not None and health_unchanged:
            _lock_held_visit(appointment)
            _link(appointment, cover.consent, cover.consent.screening, actor=patient.user)
            if cover.needs_review:
                _send_for_review(appointment, actor=patient.user)
                return appointment
            return services.confirm_appointment(appointment, actor=patient.user)
        if cover is not None:
            _end_consent(
                cover.consent,
                by=patient.user,
                reason=ConsentWithdrawal.Reason.HEALTH_CHANGED,
                note="The patient reported a change in health before a visit.",
            )
    if cover is None:
        raise ConsentRequired(_("Please answer the health questions and sign the consent form for this visit."))
    raise ConsentRequired(_("As your health has changed, please answer the health questions and sign again."))


def decide_review(appointment: Appointment, *, reviewer: User, approve: bool, note: str) -> Appointment:
    """A practitioner approves (the visit is confirmed) or declines (the slot is freed; the patient is told why)."""
    with transaction.atomic():
        appt = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        if appt.status != Status.PENDING_REVIEW or appt.screening is None:
            raise errors.InvalidTransition(_("This appointment is not waiting for a review."))
        if approve and appt.consent_id is None:
            raise ConsentRequired(_("The patient has not signed a consent for this visit yet."))
        if approve and ConsentWithdrawal.objects.filter(consent_id=appt.consent_id).exists():
            raise ConsentRequired(_("The patient's consent was withdrawn: they must sign again before this visit."))
        decision = ScreeningReview.Decision.APPROVED if approve else ScreeningReview.Decision.DECLINED
        consent_services.record_review(appt.screening, reviewer=reviewer, decision=decision, note=note)
        if approve:
            appt = services.confirm_appointment(appt, actor=reviewer)
            appointment_changed.send(sender=Appointment, appointment=appt, change=Change.APPROVED, actor=reviewer)
            return appt
        appt.status = Status.DECLINED
        appt.cancel_reason = note.strip()[:300]
        appt.cancelled_by, appt.cancelled_at = reviewer, timezone.now()
        appt.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "updated_at"])
        services.record_event(appt, AppointmentEvent.Action.DECLINED, reviewer, screening=appt.screening_id)
        services.announce_freed_by(appt, FreeCause.DECLINED)
        if appt.consent is not None:
            # The consent rests on the answers just declined: it ends, so that no later visit
            # can lean on it ("my health hasn't changed") and the patient screens again.
            _end_consent(appt.consent, by=reviewer, reason=ConsentWithdrawal.Reason.REVIEW_DECLINED, note=note)
        return appt


def withdraw(consent: SignedConsent, *, by: User, note: str = "") -> ConsentWithdrawal:
    """Withdraw a consent; future needling visits that relied on it go back to pending review."""
    return _end_consent(consent, by=by, reason=ConsentWithdrawal.Reason.WITHDRAWN, note=note)


def _end_consent(consent: SignedConsent, *, by: User, reason: ConsentWithdrawal.Reason, note: str) -> ConsentWithdrawal:
    """End a consent (a ConsentWithdrawal row) and send the future confirmed needling
    visits that relied on it back to pending review: they need a new signature."""
    with transaction.atomic():
        withdrawal = consent_services.withdraw_consent(consent, by=by, reason=reason, note=note)
        future = Appointment.objects.select_for_update(of=("self",)).filter(
            consent=consent,
            status=Status.CONFIRMED,
            start__gt=timezone.now(),
            appointment_type__involves_needling=True,
        )
        for appt in future:
            appt.status = Status.PENDING_REVIEW
            appt.save(update_fields=["status", "updated_at"])
            services.record_event(
                appt, AppointmentEvent.Action.CONSENT_ENDED, by, consent=consent.pk, reason=withdrawal.reason
            )
    return withdrawal


# --- A later visit of a course screened again (care.services.health) -----------------------


def send_for_review_with(appointment: Appointment, *, screening: ScreeningResponse, actor: User) -> None:
    """A later visit screened again with a review outcome: it carries these answers and waits
    in the practitioner's review queue (decide_review records the decision on them)."""
    Appointment.objects.filter(pk=appointment.pk).update(screening=screening)
    _send_for_review(appointment, actor=actor)


def end_for_health_change(consent: SignedConsent, *, by: User, note: str) -> ConsentWithdrawal:
    """A change in health that flags review or block needs a new consent (FACTS.md section 3)."""
    return _end_consent(consent, by=by, reason=ConsentWithdrawal.Reason.HEALTH_CHANGED, note=note)


def cancel_as_unsafe(appointment: Appointment, *, actor: User, reason: str, screening: ScreeningResponse) -> None:
    """Cancel a live needling visit that a new screening blocked. Not the patient changing their
    mind, so the cancellation window does not apply (needling cannot go ahead at any notice);
    the audit row and the cancellation message follow as for any cancellation."""
    appt = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    if appt.status not in Appointment.LIVE:
        return
    appt.status = Status.CANCELLED
    appt.cancel_reason = reason.strip()[:300]
    appt.cancelled_by, appt.cancelled_at = actor, timezone.now()
    appt.hold_expires_at = None
    appt.save(
        update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "hold_expires_at", "updated_at"]
    )
    services.record_event(appt, AppointmentEvent.Action.CANCELLED, actor, screening_blocked=screening.pk)
    metrics.count_after_commit(metrics.CANCELLATIONS, by="screening")
    services.announce_freed_by(appt, FreeCause.CANCELLED)
