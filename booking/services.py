"""Writes for booking. Each service is atomic and leaves an AppointmentEvent.

Locking order, everywhere: the patient row, then practitioner rows by id. The
exclusion constraints on PostgreSQL are the final guard against overlap; the
locks and checks here exist to give the user a clear answer first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Patient, User
from booking import errors, selectors
from booking.availability import occupancy
from booking.models import Appointment, AppointmentEvent, AppointmentType, Practitioner

Status = Appointment.Status
Action = AppointmentEvent.Action


def _event(appointment: Appointment, action: AppointmentEvent.Action, actor: User | None, **data: Any) -> None:
    AppointmentEvent.objects.create(appointment=appointment, action=action, actor=actor, data=data)


def _require_aware(value: datetime) -> None:
    if timezone.is_naive(value):
        raise errors.InvalidStart("Give the time with its UTC offset, e.g. 2026-03-02T09:00:00+00:00.")


def _lock_practitioners(ids: list[int]) -> None:
    list(Practitioner.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk").values("pk"))


# --- Holding a slot -----------------------------------------------------------------


def hold_appointment(
    patient: Patient,
    *,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner: Practitioner | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Hold a free slot for the clinic's hold time; a retry with the same
    Idempotency-Key returns the first appointment instead of a second one."""
    now = now or timezone.now()
    _require_aware(start)
    if not appointment_type.active:
        raise errors.InvalidStart("This treatment cannot be booked at the moment.", code="appointment_type_inactive")
    try:
        with transaction.atomic():
            Patient.objects.select_for_update().filter(pk=patient.pk).values("pk").first()
            if idempotency_key:
                existing = Appointment.objects.filter(patient=patient, idempotency_key=idempotency_key).first()
                if existing is not None:
                    return _replay(existing, appointment_type=appointment_type, start=start, practitioner=practitioner)
            return _hold(patient, appointment_type, start, practitioner, idempotency_key, now)
    except IntegrityError:
        # The same key raced in on another connection, or the database caught an overlap.
        if idempotency_key:
            existing = Appointment.objects.filter(patient=patient, idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay(existing, appointment_type=appointment_type, start=start, practitioner=practitioner)
        raise errors.SlotUnavailable("Someone has just booked that time. Please choose another.") from None


def _replay(
    existing: Appointment, *, appointment_type: AppointmentType, start: datetime, practitioner: Practitioner | None
) -> Appointment:
    same = existing.appointment_type_id == appointment_type.pk and existing.start == start
    if practitioner is not None:
        same = same and existing.practitioner_id == practitioner.pk
    if not same:
        raise errors.IdempotencyConflict("This Idempotency-Key was already used for a different booking.")
    return existing


def _hold(
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner: Practitioner | None,
    idempotency_key: str | None,
    now: datetime,
) -> Appointment:
    candidates = [practitioner.pk] if practitioner else _practitioners_free_at(appointment_type, start, now)
    if practitioner is not None:
        _check_offers(practitioner, appointment_type)
    if not candidates:
        raise errors.SlotUnavailable("No practitioner is free at that time. Please choose another.")
    last_error: errors.BookingError | None = None
    for pid in candidates:  # ascending ids: the same lock order in every transaction
        _lock_practitioners([pid])
        release_expired_holds(practitioner_id=pid, patient_id=patient.pk, now=now)
        try:
            end = _check_bookable(appointment_type, pid, start, now)
        except errors.SlotUnavailable as exc:
            last_error = exc
            continue
        _check_patient_free(patient, start, end, exclude_id=None)
        blocked = occupancy(start, end, appointment_type.service)
        with transaction.atomic():  # a savepoint, so a constraint error leaves the outer transaction usable
            appointment = Appointment.objects.create(
                patient=patient,
                practitioner_id=pid,
                clinic=appointment_type.clinic,
                appointment_type=appointment_type,
                start=start,
                end=end,
                blocked_start=blocked.start,
                blocked_end=blocked.end,
                status=Status.HELD,
                hold_expires_at=now + appointment_type.clinic.hold_duration,
                time_zone=appointment_type.clinic.time_zone,
                idempotency_key=idempotency_key or None,
                created_at=now,
            )
        _event(appointment, Action.HELD, patient.user, start=start.isoformat(), practitioner=pid)
        return appointment
    assert last_error is not None
    raise last_error


def _practitioners_free_at(appointment_type: AppointmentType, start: datetime, now: datetime) -> list[int]:
    ids = list(selectors.practitioners_offering(appointment_type).values_list("id", flat=True))
    schedules = selectors.load_schedules(
        clinic=appointment_type.clinic, practitioner_ids=ids, start=start, end=start + timedelta(minutes=1), now=now
    )
    free = [
        pid
        for pid in ids
        if any(
            s.start == start
            for s in selectors.slots_for_practitioner(
                appointment_type=appointment_type,
                schedule=schedules[pid],
                start=start,
                end=start + timedelta(minutes=1),
                now=now,
            )
        )
    ]
    if not free and ids:
        # Nobody is free: say why in the same words as for a named practitioner.
        _check_bookable(appointment_type, ids[0], start, now)
    return sorted(free)


def _check_offers(practitioner: Practitioner, appointment_type: AppointmentType) -> None:
    offers = selectors.practitioners_offering(appointment_type).filter(pk=practitioner.pk).exists()
    if not offers:
        raise errors.InvalidStart(
            f"{practitioner.display_name} does not offer {appointment_type.name}.", code="practitioner_unavailable"
        )


def _check_bookable(
    appointment_type: AppointmentType,
    practitioner_id: int,
    start: datetime,
    now: datetime,
    *,
    exclude_appointment_id: int | None = None,
) -> datetime:
    """Return the end of the visit if `start` is free, else raise with the reason."""
    clinic = appointment_type.clinic
    window_end = start + timedelta(minutes=1)
    schedule = selectors.load_schedules(
        clinic=clinic,
        practitioner_ids=[practitioner_id],
        start=start,
        end=window_end,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )[practitioner_id]

    def offered(*, ignore_busy: bool) -> bool:
        slots = selectors.slots_for_practitioner(
            appointment_type=appointment_type,
            schedule=schedule,
            start=start,
            end=window_end,
            now=now,
            ignore_busy=ignore_busy,
        )
        return any(s.start == start for s in slots)

    if offered(ignore_busy=False):
        return start + appointment_type.service.duration
    if offered(ignore_busy=True):
        raise errors.SlotUnavailable("That time has just been taken. Please choose another.")
    raise _why_not_bookable(appointment_type, schedule, start, now)


def _why_not_bookable(
    appointment_type: AppointmentType, schedule: selectors.Schedule, start: datetime, now: datetime
) -> errors.BookingError:
    clinic = appointment_type.clinic
    policy = clinic.policy
    local_day = start.astimezone(clinic.zone).date()
    if start <= now:
        return errors.InvalidStart("That time has already passed.")
    if start < now + policy.min_notice:
        hours = policy.min_notice.total_seconds() / 3600
        return errors.InvalidStart(f"Bookings need at least {hours:g} hours' notice. Please choose a later time.")
    if start > now + policy.max_advance:
        return errors.InvalidStart(
            f"Bookings open {policy.max_advance.days} days ahead. Please choose an earlier time."
        )
    if appointment_type.involves_needling and not selectors.credentialled_on(schedule, local_day, clinic.jurisdiction):
        return errors.NotCredentialled("This practitioner cannot offer dry needling on that date.")
    return errors.InvalidStart(
        "That is not one of the offered times (outside working hours, time off or off the grid)."
    )


def _check_patient_free(patient: Patient, start: datetime, end: datetime, *, exclude_id: int | None) -> None:
    clash = Appointment.objects.filter(
        selectors.live_appointments(timezone.now()), patient=patient, start__lt=end, end__gt=start
    )
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise errors.PatientBusy("You already have an appointment at that time.")


# --- Status changes -----------------------------------------------------------------


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().select_related("clinic", "appointment_type").get(pk=appointment.pk)


def confirm_appointment(appointment: Appointment, *, actor: User | None, now: datetime | None = None) -> Appointment:
    """held or pending_review -> confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        appt = _locked(appointment)
        if appt.status == Status.HELD and appt.hold_expires_at and appt.hold_expires_at <= now:
            raise errors.HoldExpired("The hold on this time ran out. Please choose a time again.")
        if appt.status not in (Status.HELD, Status.PENDING_REVIEW):
            raise errors.InvalidTransition(f"A {appt.get_status_display().lower()} appointment cannot be confirmed.")
        appt.status = Status.CONFIRMED
        appt.hold_expires_at = None
        appt.save(update_fields=["status", "hold_expires_at", "updated_at"])
        _event(appt, Action.CONFIRMED, actor)
    return appt


def _policy_allows_change(appt: Appointment, actor: User, *, override: bool, reason: str, now: datetime) -> None:
    if appt.status == Status.HELD:
        return  # nothing was promised yet
    inside_window = appt.start - now < appt.clinic.cancellation_window
    if not inside_window:
        return
    if actor.is_clinic_staff and override:
        if not reason.strip():
            raise errors.TooLateToChange("Give a reason to override the cancellation window.", code="reason_required")
        return
    phone = f" on {appt.clinic.phone}" if appt.clinic.phone else ""
    raise errors.TooLateToChange(
        f"Changes online close {appt.clinic.cancellation_window_hours} hours before the appointment. "
        f"Please call the clinic{phone}."
    )


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
        appt = _locked(appointment)
        if appt.status not in Appointment.LIVE:
            raise errors.InvalidTransition(f"A {appt.get_status_display().lower()} appointment cannot be cancelled.")
        _policy_allows_change(appt, actor, override=override, reason=reason, now=now)
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
        _event(appt, Action.CANCELLED, actor, override=override and actor.is_clinic_staff)
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
    """Move a live appointment; it keeps its id and its version goes up by one."""
    now = now or timezone.now()
    _require_aware(start)
    try:
        with transaction.atomic():
            Patient.objects.select_for_update().filter(pk=appointment.patient_id).values("pk").first()
            appt = _locked(appointment)
            if appt.status not in Appointment.LIVE:
                raise errors.InvalidTransition(f"A {appt.get_status_display().lower()} appointment cannot be moved.")
            _policy_allows_change(appt, actor, override=override, reason=reason, now=now)
            if appt.status == Status.HELD and appt.hold_expires_at and appt.hold_expires_at <= now:
                raise errors.HoldExpired("The hold on this time ran out. Please choose a time again.")
            target = practitioner or appt.practitioner
            if target.pk != appt.practitioner_id:
                _check_offers(target, appt.appointment_type)
            _lock_practitioners([appt.practitioner_id, target.pk])
            release_expired_holds(practitioner_id=target.pk, now=now)
            end = _check_bookable(appt.appointment_type, target.pk, start, now, exclude_appointment_id=appt.pk)
            _check_patient_free(appt.patient, start, end, exclude_id=appt.pk)
            before = {"start": appt.start.isoformat(), "practitioner": appt.practitioner_id, "version": appt.version}
            blocked = occupancy(start, end, appt.appointment_type.service)
            appt.start, appt.end = start, end
            appt.blocked_start, appt.blocked_end = blocked.start, blocked.end
            appt.practitioner = target
            appt.version += 1
            with transaction.atomic():
                appt.save(
                    update_fields=[
                        "start",
                        "end",
                        "blocked_start",
                        "blocked_end",
                        "practitioner",
                        "version",
                        "updated_at",
                    ]
                )
            _event(
                appt,
                Action.RESCHEDULED,
                actor,
                before=before,
                start=start.isoformat(),
                practitioner=target.pk,
                version=appt.version,
                override=override and actor.is_clinic_staff,
            )
            return appt
    except IntegrityError:
        raise errors.SlotUnavailable("Someone has just booked that time. Please choose another.") from None


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
        appt = _locked(appointment)
        if appt.status != Status.CONFIRMED:
            raise errors.InvalidTransition(f"Only a confirmed appointment can be marked {status.label.lower()}.")
        if now < appt.start:
            raise errors.InvalidTransition("The appointment has not started yet.")
        appt.status = status
        appt.save(update_fields=["status", "updated_at"])
        _event(appt, action, actor)
    return appt


def mark_completed(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    return _finish(appointment, actor=actor, status=Status.COMPLETED, action=Action.COMPLETED, now=now)


def mark_no_show(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    return _finish(appointment, actor=actor, status=Status.NO_SHOW, action=Action.NO_SHOW, now=now)


# --- Holds that ran out -------------------------------------------------------------


def release_expired_holds(
    *, practitioner_id: int | None = None, patient_id: int | None = None, now: datetime | None = None
) -> int:
    """Cancel holds whose time ran out (reason hold_expired). Runs inside the
    booking transaction too, so a stale hold never blocks a new booking."""
    now = now or timezone.now()
    stale = Appointment.objects.select_for_update(skip_locked=True).filter(status=Status.HELD, hold_expires_at__lte=now)
    if practitioner_id is not None or patient_id is not None:
        from django.db.models import Q

        who = Q()
        if practitioner_id is not None:
            who |= Q(practitioner_id=practitioner_id)
        if patient_id is not None:
            who |= Q(patient_id=patient_id)
        stale = stale.filter(who)
    with transaction.atomic():
        ids = list(stale.values_list("pk", flat=True))
        if not ids:
            return 0
        Appointment.objects.filter(pk__in=ids, status=Status.HELD).update(
            status=Status.CANCELLED,
            cancel_reason="hold_expired",
            cancelled_at=now,
            hold_expires_at=None,
            updated_at=now,
        )
        AppointmentEvent.objects.bulk_create(
            [AppointmentEvent(appointment_id=pk, action=Action.HOLD_EXPIRED, at=now) for pk in ids]
        )
    return len(ids)
