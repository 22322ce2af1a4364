"""Holding a slot, confirming it, and releasing holds whose time ran out."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient, User
from booking import errors
from booking.availability import occupancy
from booking.models import Appointment, AppointmentEvent, AppointmentType, Practitioner
from booking.services.checks import (
    as_utc,
    check_bookable,
    check_offers,
    check_patient_free,
    practitioners_free_at,
)
from booking.services.events import announce_freed, record_event
from booking.services.locks import lock_patient, lock_practitioners, locked_appointment
from booking.signals import FreeCause
from core import metrics
from core.precompiled import Precompiled, columns, instances

Status = Appointment.Status
Action = AppointmentEvent.Action


def hold_appointment(
    patient: Patient,
    *,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner: Practitioner | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    hold_until: datetime | None = None,
) -> Appointment:
    """Hold a free slot for the clinic's hold time (or until `hold_until`: a waitlist offer holds
    its time as long as the offer runs); a retry with the same Idempotency-Key returns the first
    appointment instead of a second one."""
    now = now or timezone.now()
    start = as_utc(start)
    if not appointment_type.active:
        raise errors.InvalidStart(_("This treatment cannot be booked at the moment."), code="appointment_type_inactive")
    try:
        with transaction.atomic():
            lock_patient(patient.pk)
            existing = _by_key(patient, idempotency_key)
            if existing is not None:
                return _replay(existing, appointment_type=appointment_type, start=start, practitioner=practitioner)
            return _hold(patient, appointment_type, start, practitioner, idempotency_key, now, hold_until)
    except IntegrityError:
        # The same key raced in on another connection, or the database caught an overlap.
        existing = _by_key(patient, idempotency_key)
        if existing is None:
            raise errors.SlotUnavailable(_("Someone has just booked that time. Please choose another.")) from None
        return _replay(existing, appointment_type=appointment_type, start=start, practitioner=practitioner)


_BY_KEY = Precompiled(
    lambda patient_id, key: (
        Appointment.objects.filter(patient_id=patient_id, idempotency_key=key)
        .order_by("pk")
        .values_list(*columns(Appointment))[:1]
    ),
    int,
    str,
)


_KEY_USED = Precompiled(
    lambda patient_id, key: Appointment.objects.filter(patient_id=patient_id, idempotency_key=key).values_list("pk")[
        :1
    ],
    int,
    str,
)


def key_used(patient: Patient, idempotency_key: str) -> bool:
    """Has the patient held a visit with this Idempotency-Key before?"""
    return bool(_KEY_USED(patient.pk, idempotency_key))


def _by_key(patient: Patient, idempotency_key: str | None) -> Appointment | None:
    if not idempotency_key:
        return None
    rows = _BY_KEY(patient.pk, idempotency_key)
    return instances(rows[0], Appointment)[0] if rows else None


def _replay(
    existing: Appointment, *, appointment_type: AppointmentType, start: datetime, practitioner: Practitioner | None
) -> Appointment:
    same = existing.appointment_type_id == appointment_type.pk and existing.start == start
    if not same or (practitioner is not None and existing.practitioner_id != practitioner.pk):
        raise errors.IdempotencyConflict(_("This Idempotency-Key was already used for a different booking."))
    return existing


def _hold(
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    practitioner: Practitioner | None,
    idempotency_key: str | None,
    now: datetime,
    hold_until: datetime | None = None,
) -> Appointment:
    if practitioner is not None:
        check_offers(practitioner, appointment_type)
        candidates = [practitioner.pk]
    else:
        candidates = practitioners_free_at(appointment_type, start, now)
    if not candidates:
        raise errors.SlotUnavailable(_("No practitioner is free at that time. Please choose another."))
    # All at once, in ascending id order like every transaction, so that trying
    # them in order of preference below cannot deadlock with another booking.
    lock_practitioners(candidates)
    last_error: errors.BookingError | None = None
    for pid in candidates:
        release_expired_holds(practitioner_id=pid, patient_id=patient.pk, now=now)
        try:
            end = check_bookable(appointment_type, pid, start, now)
        except errors.SlotUnavailable as exc:
            last_error = exc
            continue
        check_patient_free(patient, start, end, exclude_id=None, now=now)
        blocked = occupancy(start, end, appointment_type.service)
        # No savepoint of its own: a constraint error leaves this function, and hold_appointment's
        # atomic block (a savepoint itself when a caller's transaction is open) rolls it back.
        # A savepoint here cost two statements a hold (bench/README, "Issue 22, eighth pass").
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
            hold_expires_at=hold_until or now + appointment_type.clinic.hold_duration,
            time_zone=appointment_type.clinic.time_zone,
            idempotency_key=idempotency_key or None,
            created_at=now,
        )
        if practitioner is not None:
            appointment.practitioner = practitioner  # the answer names them: no query to load them again
        record_event(appointment, Action.HELD, patient.user, start=start.isoformat(), practitioner=pid)
        metrics.count_after_commit(metrics.HOLDS)
        return appointment
    assert last_error is not None
    raise last_error


def confirm_appointment(appointment: Appointment, *, actor: User | None, now: datetime | None = None) -> Appointment:
    """held or pending_review -> confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.status == Status.HELD and appt.hold_expires_at and appt.hold_expires_at <= now:
            raise errors.HoldExpired(_("The hold on this time ran out. Please choose a time again."))
        if appt.status not in (Status.HELD, Status.PENDING_REVIEW):
            raise errors.InvalidTransition(
                _("A %(status)s appointment cannot be confirmed.") % {"status": appt.get_status_display().lower()}
            )
        if appt.appointment_type.involves_needling and appt.consent_id is None:
            # Needling is confirmed only through booking.consent_flow, which links the consent first.
            raise errors.BookingError(
                _("Dry needling needs a signed consent before it is confirmed."), code="consent_required"
            )
        appt.status = Status.CONFIRMED
        appt.hold_expires_at = None
        appt.save(update_fields=["status", "hold_expires_at", "updated_at"])
        record_event(appt, Action.CONFIRMED, actor)
        metrics.count_after_commit(metrics.BOOKINGS)
    return appt


_STALE_COLUMNS = ("pk", "practitioner_id", "clinic_id", "blocked_start", "blocked_end")


def _stale(now: datetime) -> QuerySet[Appointment]:
    return Appointment.objects.select_for_update(skip_locked=True).filter(status=Status.HELD, hold_expires_at__lte=now)


_STALE_OF = Precompiled(
    lambda practitioner_id, patient_id, now: (
        _stale(now).filter(Q(practitioner_id=practitioner_id) | Q(patient_id=patient_id)).values_list(*_STALE_COLUMNS)
    ),
    int,
    int,
    datetime,
)


def release_expired_holds(
    *, practitioner_id: int | None = None, patient_id: int | None = None, now: datetime | None = None
) -> int:
    """Cancel holds whose time ran out (reason hold_expired). Runs inside the
    booking transaction too, so a stale hold never blocks a new booking."""
    now = now or timezone.now()
    # A transaction of its own when called alone (the beat task); inside a booking's, no
    # savepoint: nothing here is caught and retried, so an error ends the booking's
    # transaction either way, and a savepoint cost two statements every hold and move.
    with transaction.atomic(savepoint=False):
        if practitioner_id is not None and patient_id is not None:  # every hold and move: precompiled
            rows = _STALE_OF(practitioner_id, patient_id, now)
        else:  # the queryset is built only here: building it cost a hold more than running the query
            stale = _stale(now)
            if practitioner_id is not None or patient_id is not None:
                # A None matches no row: both columns are NOT NULL.
                stale = stale.filter(Q(practitioner_id=practitioner_id) | Q(patient_id=patient_id))
            rows = list(stale.values_list(*_STALE_COLUMNS))
        if not rows:
            return 0
        ids = [row[0] for row in rows]
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
        # One announcement per hold, so that each freed span is matched on its own.
        for pk, practitioner_id, clinic_id, blocked_start, blocked_end in rows:
            announce_freed(
                appointment_id=pk,
                practitioner_id=practitioner_id,
                clinic_id=clinic_id,
                start=blocked_start,
                end=blocked_end,
                cause=FreeCause.HOLD_EXPIRED,
            )
        metrics.count_after_commit(metrics.HOLDS_EXPIRED, len(ids))
    return len(ids)
