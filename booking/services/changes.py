"""Changing a booked appointment: cancelling, rescheduling, completion and no-show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from booking import errors
from booking.availability import occupancy
from booking.models import Appointment, AppointmentEvent, Practitioner
from booking.services.checks import as_utc, check_bookable, check_offers, check_patient_free
from booking.services.events import announce_freed, announce_freed_by, record_event
from booking.services.holds import release_expired_holds
from booking.services.locks import lock_patient, lock_practitioners, locked_appointment
from booking.signals import FreeCause
from core import metrics

Status = Appointment.Status
Action = AppointmentEvent.Action


def _policy_allows_change(appt: Appointment, actor: User, *, override: bool, reason: str, now: datetime) -> bool:
    """Raise unless the change is allowed; True when staff overrode the window,
    so that the audit row says so only when it really happened."""
    if appt.status == Status.HELD:
        return False  # nothing was promised yet
    inside_window = appt.start - now < appt.clinic.cancellation_window
    if not inside_window:
        return False
    if actor.is_clinic_staff and override:
        if not reason.strip():
            raise errors.TooLateToChange(
                _("Give a reason to override the cancellation window."), code="reason_required"
            )
        return True
    hours = appt.clinic.cancellation_window_hours
    closes = ngettext(
        "Changes online close %(hours)s hour before the appointment.",
        "Changes online close %(hours)s hours before the appointment.",
        hours,
    ) % {"hours": hours}
    if appt.clinic.phone:
        call = _("Please call the clinic on %(phone)s.") % {"phone": appt.clinic.phone}
    else:
        call = _("Please call the clinic.")
    raise errors.TooLateToChange(f"{closes} {call}")


def cancel_appointment(
    appointment: Appointment,
    *,
    actor: User,
    reason: str = "",
    override: bool = False,
    now: datetime | None = None,
) -> Appointment:
    now = now or timezone.now()
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.status not in Appointment.LIVE:
            raise errors.InvalidTransition(
                _("A %(status)s appointment cannot be cancelled.") % {"status": appt.get_status_display().lower()}
            )
        overridden = _policy_allows_change(appt, actor, override=override, reason=reason, now=now)
        appt.status = Status.CANCELLED
        appt.cancel_reason = reason.strip()[:300] or (
            "cancelled by staff" if actor.is_clinic_staff else "cancelled by patient"
        )
        appt.cancelled_by = actor
        appt.cancelled_at = now
        appt.hold_expires_at = None
        appt.save(
            update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "hold_expires_at", "updated_at"]
        )
        record_event(appt, Action.CANCELLED, actor, override=overridden)
        metrics.count_after_commit(metrics.CANCELLATIONS, by="staff" if actor.is_clinic_staff else "patient")
        announce_freed_by(appt, FreeCause.CANCELLED)
    return appt


def reschedule_appointment(
    appointment: Appointment,
    *,
    actor: User,
    start: datetime,
    practitioner: Practitioner | None = None,
    reason: str = "",
    override: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move a live appointment; it keeps its id and its version goes up by one.
    Moving it to its own start with its own practitioner changes nothing."""
    now = now or timezone.now()
    start = as_utc(start)
    try:
        with transaction.atomic():
            lock_patient(appointment.patient_id)
            appt = locked_appointment(appointment)
            if appt.status not in Appointment.LIVE:
                raise errors.InvalidTransition(
                    _("A %(status)s appointment cannot be moved.") % {"status": appt.get_status_display().lower()}
                )
            overridden = _policy_allows_change(appt, actor, override=override, reason=reason, now=now)
            if appt.status == Status.HELD and appt.hold_expires_at and appt.hold_expires_at <= now:
                raise errors.HoldExpired(_("The hold on this time ran out. Please choose a time again."))
            target = practitioner or appt.practitioner
            if start == appt.start and target.pk == appt.practitioner_id:
                # Already there (a retry, or its own time sent back): no new version, no
                # audit row, no message to the patient. The slot lists never offer it.
                return appt
            if target.pk != appt.practitioner_id:
                check_offers(target, appt.appointment_type)
            lock_practitioners([appt.practitioner_id, target.pk])
            # The patient's own stale holds too: the database's patient constraint
            # still counts them until they are released.
            release_expired_holds(practitioner_id=target.pk, patient_id=appt.patient_id, now=now)
            end = check_bookable(appt.appointment_type, target.pk, start, now, exclude_appointment_id=appt.pk)
            check_patient_free(appt.patient, start, end, exclude_id=appt.pk, now=now)
            before = _where(appt)
            # The time it leaves, for the waitlist: announced once the move is saved.
            left = (appt.practitioner_id, appt.blocked_start, appt.blocked_end)
            blocked = occupancy(start, end, appt.appointment_type.service)
            left_consent = _consent_left_behind(appt, target)
            appt.start, appt.end = start, end
            appt.blocked_start, appt.blocked_end = blocked.start, blocked.end
            appt.practitioner = target
            appt.version += 1
            if left_consent is not None:
                appt.status, appt.consent = Status.PENDING_REVIEW, None
            with transaction.atomic():
                appt.save(
                    update_fields=[
                        "start",
                        "end",
                        "blocked_start",
                        "blocked_end",
                        "practitioner",
                        "version",
                        "status",
                        "consent",
                        "updated_at",
                    ]
                )
            record_event(appt, Action.RESCHEDULED, actor, before=before, after=_where(appt), override=overridden)
            announce_freed(
                appointment_id=appt.pk,
                practitioner_id=left[0],
                clinic_id=appt.clinic_id,
                start=left[1],
                end=left[2],
                cause=FreeCause.MOVED,
            )
            if left_consent is not None:
                record_event(appt, Action.CONSENT_ENDED, actor, consent=left_consent, reason="new_practitioner")
            return appt
    except IntegrityError:
        raise errors.SlotUnavailable(_("Someone has just booked that time. Please choose another.")) from None


def _consent_left_behind(appt: Appointment, target: Practitioner) -> int | None:
    """The consent a needling visit must let go of when it moves to another practitioner.

    Re-consent, not a review: FACTS.md section 3 names a new treating practitioner as a
    re-consent trigger, and consent is specific to the person giving the treatment. The
    signed text names the first practitioner and their dry-needling training disclosure,
    which a colleague's approval cannot change; only a new signature on the new
    practitioner's text can. The visit waits as pending_review without a consent, so it
    cannot be confirmed or approved until the patient signs again (the pages offer to).
    The consent itself stays valid for the first practitioner's visits."""
    if target.pk == appt.practitioner_id or appt.consent_id is None:
        return None
    if not appt.appointment_type.involves_needling or appt.status == Status.HELD:
        return None
    return appt.consent_id


def _where(appt: Appointment) -> dict[str, Any]:
    return {"start": appt.start.isoformat(), "practitioner": appt.practitioner_id, "version": appt.version}


def _finish(
    appointment: Appointment,
    *,
    actor: User,
    status: Appointment.Status,
    action: AppointmentEvent.Action,
    now: datetime | None,
) -> Appointment:
    now = now or timezone.now()
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.status != Status.CONFIRMED:
            raise errors.InvalidTransition(
                _("Only a confirmed appointment can be marked %(status)s.") % {"status": status.label.lower()}
            )
        if now < appt.start:
            raise errors.InvalidTransition(_("The appointment has not started yet."))
        appt.status = status
        appt.save(update_fields=["status", "updated_at"])
        record_event(appt, action, actor)
    return appt


def mark_completed(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    return _finish(appointment, actor=actor, status=Status.COMPLETED, action=Action.COMPLETED, now=now)


def mark_no_show(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    return _finish(appointment, actor=actor, status=Status.NO_SHOW, action=Action.NO_SHOW, now=now)
