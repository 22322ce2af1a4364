"""Writes for booking. Each service is atomic and leaves an AppointmentEvent.

Locking order, everywhere: the patient row, the appointment row (when changing
one), then practitioner rows by id. The exclusion constraints on PostgreSQL are
the final guard against overlap; the locks and checks here exist to give the
user a clear answer first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Patient, User
from booking import errors, selectors
from booking.availability import occupancy
from booking.models import Appointment, AppointmentEvent, AppointmentType, Practitioner
from booking.signals import Change, appointment_changed

Status = Appointment.Status
Action = AppointmentEvent.Action


def _offered(
    kind: AppointmentType, schedule: selectors.Schedule, start: datetime, now: datetime, *, busy: bool = True
) -> bool:
    return selectors.offers_start(appointment_type=kind, schedule=schedule, start=start, now=now, ignore_busy=not busy)


# The audit actions that the apps above booking (notifications) need to hear about.
_NEWS = {
    Action.CONFIRMED: Change.CONFIRMED,
    Action.SENT_FOR_REVIEW: Change.SENT_FOR_REVIEW,
    Action.DECLINED: Change.DECLINED,
    Action.CANCELLED: Change.CANCELLED,
    Action.RESCHEDULED: Change.RESCHEDULED,
    Action.COMPLETED: Change.COMPLETED,
    Action.NO_SHOW: Change.NO_SHOW,
    Action.CONSENT_ENDED: Change.CONSENT_ENDED,
}


def record_event(appointment: Appointment, action: AppointmentEvent.Action, actor: User | None, **data: Any) -> None:
    """Audit a change and announce it, inside the caller's transaction, so that
    the notification outbox rows commit (or roll back) with the change itself."""
    AppointmentEvent.objects.create(appointment=appointment, action=action, actor=actor, data=data)
    change = _NEWS.get(action)
    if change is not None:
        appointment_changed.send(sender=Appointment, appointment=appointment, change=change, actor=actor)


_event = record_event


def _as_utc(value: datetime) -> datetime:
    # Adding a duration to a ZoneInfo datetime is wall-clock arithmetic: across a
    # DST change the visit would be stored an hour too long or too short.
    if timezone.is_naive(value):
        raise errors.InvalidStart("Give the time with its UTC offset, e.g. 2026-03-02T09:00:00+00:00.")
    return value.astimezone(UTC)


# Row locks are FOR NO KEY UPDATE: they exclude one another, which is all the
# booking checks need, but not the FOR KEY SHARE that PostgreSQL takes when a new
# row elsewhere refers to the locked one (a consent naming the patient, say).
def _lock_patient(pk: int) -> None:
    Patient.objects.select_for_update(no_key=True).filter(pk=pk).values("pk").first()


def _lock_practitioners(ids: list[int]) -> None:
    locked = Practitioner.objects.select_for_update(no_key=True).filter(pk__in=sorted(set(ids))).order_by("pk")
    list(locked.values("pk"))


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
    start = _as_utc(start)
    if not appointment_type.active:
        raise errors.InvalidStart("This treatment cannot be booked at the moment.", code="appointment_type_inactive")
    try:
        with transaction.atomic():
            _lock_patient(patient.pk)
            existing = _by_key(patient, idempotency_key)
            if existing is not None:
                return _replay(existing, appointment_type=appointment_type, start=start, practitioner=practitioner)
            return _hold(patient, appointment_type, start, practitioner, idempotency_key, now)
    except IntegrityError:
        # The same key raced in on another connection, or the database caught an overlap.
        existing = _by_key(patient, idempotency_key)
        if existing is None:
            raise errors.SlotUnavailable("Someone has just booked that time. Please choose another.") from None
        return _replay(existing, appointment_type=appointment_type, start=start, practitioner=practitioner)


def _by_key(patient: Patient, idempotency_key: str | None) -> Appointment | None:
    if not idempotency_key:
        return None
    return Appointment.objects.filter(patient=patient, idempotency_key=idempotency_key).first()


def _replay(
    existing: Appointment, *, appointment_type: AppointmentType, start: datetime, practitioner: Practitioner | None
) -> Appointment:
    same = existing.appointment_type_id == appointment_type.pk and existing.start == start
    if not same or (practitioner is not None and existing.practitioner_id != practitioner.pk):
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
    if practitioner is not None:
        _check_offers(practitioner, appointment_type)
        candidates = [practitioner.pk]
    else:
        candidates = _practitioners_free_at(appointment_type, start, now)
    if not candidates:
        raise errors.SlotUnavailable("No practitioner is free at that time. Please choose another.")
    # All at once, in ascending id order like every transaction, so that trying
    # them in order of preference below cannot deadlock with another booking.
    _lock_practitioners(candidates)
    last_error: errors.BookingError | None = None
    for pid in candidates:
        release_expired_holds(practitioner_id=pid, patient_id=patient.pk, now=now)
        try:
            end = _check_bookable(appointment_type, pid, start, now)
        except errors.SlotUnavailable as exc:
            last_error = exc
            continue
        _check_patient_free(patient, start, end, exclude_id=None, now=now)
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
    """Who is free at `start`, least busy first: "any" spreads the work, as
    selectors.available_slots does when it lists the slots."""
    ids = list(selectors.practitioners_offering(appointment_type).values_list("id", flat=True))
    schedules = selectors.load_schedules(
        clinic=appointment_type.clinic, practitioner_ids=ids, start=start, end=start + timedelta(minutes=1), now=now
    )
    free = [pid for pid in ids if _offered(appointment_type, schedules[pid], start, now)]
    if free or not ids:
        return sorted(free, key=lambda pid: (len(schedules[pid].busy), pid))
    # Nobody is free. If someone works then, the time is taken; asking only the
    # first practitioner would blame, say, their missing credential instead.
    if any(_offered(appointment_type, schedules[pid], start, now, busy=False) for pid in ids):
        raise errors.SlotUnavailable("No practitioner is free at that time. Please choose another.")
    raise _why_not_bookable(appointment_type, [schedules[pid] for pid in ids], start, now)


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
    schedule = selectors.load_schedules(
        clinic=appointment_type.clinic,
        practitioner_ids=[practitioner_id],
        start=start,
        end=start + timedelta(minutes=1),
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )[practitioner_id]
    if _offered(appointment_type, schedule, start, now):
        return start + appointment_type.service.duration
    if _offered(appointment_type, schedule, start, now, busy=False):
        raise errors.SlotUnavailable("That time has just been taken. Please choose another.")
    raise _why_not_bookable(appointment_type, [schedule], start, now)


def _why_not_bookable(
    appointment_type: AppointmentType, schedules: list[selectors.Schedule], start: datetime, now: datetime
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
    if appointment_type.involves_needling and not any(
        selectors.credentialled_on(schedule, local_day, clinic.jurisdiction) for schedule in schedules
    ):
        return errors.NotCredentialled("This practitioner cannot offer dry needling on that date.")
    return errors.InvalidStart(
        "That is not one of the offered times (outside working hours, time off or off the grid)."
    )


def _check_patient_free(
    patient: Patient, start: datetime, end: datetime, *, exclude_id: int | None, now: datetime
) -> None:
    # The caller's `now`, not the clock: the same instant decided which holds
    # were released and which slots are free.
    clash = Appointment.objects.filter(selectors.live_appointments(now), patient=patient, start__lt=end, end__gt=start)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise errors.PatientBusy("You already have an appointment at that time.")


# --- Status changes -----------------------------------------------------------------


def _locked(appointment: Appointment) -> Appointment:
    # of=self: a bare FOR UPDATE also locks the joined clinic row, which every new
    # appointment's foreign key check needs: a hold that waits for it while holding
    # the practitioner a reschedule waits for is a deadlock.
    joined = Appointment.objects.select_related("clinic", "appointment_type")
    return joined.select_for_update(of=("self",), no_key=True).get(pk=appointment.pk)


def confirm_appointment(appointment: Appointment, *, actor: User | None, now: datetime | None = None) -> Appointment:
    """held or pending_review -> confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        appt = _locked(appointment)
        if appt.status == Status.HELD and appt.hold_expires_at and appt.hold_expires_at <= now:
            raise errors.HoldExpired("The hold on this time ran out. Please choose a time again.")
        if appt.status not in (Status.HELD, Status.PENDING_REVIEW):
            raise errors.InvalidTransition(f"A {appt.get_status_display().lower()} appointment cannot be confirmed.")
        if appt.appointment_type.involves_needling and appt.consent_id is None:
            # Needling is confirmed only through booking.consent_flow, which links the consent first.
            raise errors.BookingError(
                "Dry needling needs a signed consent before it is confirmed.", code="consent_required"
            )
        appt.status = Status.CONFIRMED
        appt.hold_expires_at = None
        appt.save(update_fields=["status", "hold_expires_at", "updated_at"])
        _event(appt, Action.CONFIRMED, actor)
    return appt


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
            raise errors.TooLateToChange("Give a reason to override the cancellation window.", code="reason_required")
        return True
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
        _event(appt, Action.CANCELLED, actor, override=overridden)
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
    start = _as_utc(start)
    try:
        with transaction.atomic():
            _lock_patient(appointment.patient_id)
            appt = _locked(appointment)
            if appt.status not in Appointment.LIVE:
                raise errors.InvalidTransition(f"A {appt.get_status_display().lower()} appointment cannot be moved.")
            overridden = _policy_allows_change(appt, actor, override=override, reason=reason, now=now)
            if appt.status == Status.HELD and appt.hold_expires_at and appt.hold_expires_at <= now:
                raise errors.HoldExpired("The hold on this time ran out. Please choose a time again.")
            target = practitioner or appt.practitioner
            if start == appt.start and target.pk == appt.practitioner_id:
                # Already there (a retry, or its own time sent back): no new version, no
                # audit row, no message to the patient. The slot lists never offer it.
                return appt
            if target.pk != appt.practitioner_id:
                _check_offers(target, appt.appointment_type)
            _lock_practitioners([appt.practitioner_id, target.pk])
            # The patient's own stale holds too: the database's patient constraint
            # still counts them until they are released.
            release_expired_holds(practitioner_id=target.pk, patient_id=appt.patient_id, now=now)
            end = _check_bookable(appt.appointment_type, target.pk, start, now, exclude_appointment_id=appt.pk)
            _check_patient_free(appt.patient, start, end, exclude_id=appt.pk, now=now)
            before = _where(appt)
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
            _event(appt, Action.RESCHEDULED, actor, before=before, after=_where(appt), override=overridden)
            return appt
    except IntegrityError:
        raise errors.SlotUnavailable("Someone has just booked that time. Please choose another.") from None


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
        # A None matches no row: both columns are NOT NULL.
        stale = stale.filter(Q(practitioner_id=practitioner_id) | Q(patient_id=patient_id))
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
