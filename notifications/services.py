"""Writes to the outbox: plan rows for a booking change, cancel or skip the ones it
makes pointless, and put failed rows back in the queue.

`record_change` runs inside the booking's own transaction (through the
appointment_changed receiver), so the rows and the change commit together."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from booking.models import Appointment, AppointmentEvent
from booking.signals import Change
from notifications import planner
from notifications.kinds import AFTER_VISIT
from notifications.models import ClinicNotificationSettings, Notification
from notifications.selectors import patient_zone, settings_for
from notifications.tasks import dispatch_due

logger = logging.getLogger(__name__)
Status = Notification.Status


def offsets(config: ClinicNotificationSettings) -> planner.Offsets:
    return planner.Offsets(
        pre_visit=timedelta(hours=config.pre_visit_hours),
        reminder_email=timedelta(hours=config.reminder_email_hours),
        reminder_sms=timedelta(hours=config.reminder_sms_hours),
        aftercare=timedelta(minutes=config.aftercare_minutes),
        checkin=timedelta(hours=config.checkin_hours),
        quiet_start=config.quiet_start,
        quiet_end=config.quiet_end,
    )


def record_change(
    appointment: Appointment, *, change: Change, now: datetime | None = None, context: dict[str, Any] | None = None
) -> int:
    """Bring the outbox in line with a booking change; returns how many rows were added.

    Safe to call twice for the same change: a row exists at most once per
    (appointment, version, kind, channel)."""
    now = now or timezone.now()
    pending = Notification.objects.filter(appointment=appointment, status=Status.PENDING)
    if change in (Change.CANCELLED, Change.DECLINED):
        pending.update(status=Status.CANCELLED, last_error=f"appointment {change.label.lower()}")
        if change == Change.CANCELLED and not _patient_was_told(appointment):
            return 0  # a hold the patient dropped: nothing was promised, nothing to take back
    elif change == Change.RESCHEDULED:
        pending.filter(appointment_version__lt=appointment.version).update(
            status=Status.CANCELLED, last_error="appointment rescheduled"
        )
    elif change == Change.NO_SHOW:
        pending.filter(kind__in=AFTER_VISIT).update(status=Status.SKIPPED, last_error="appointment was a no-show")
    config = settings_for(appointment.clinic_id)
    planned = planner.plan(change, _visit(appointment, now), offsets(config))
    rows = [
        Notification(
            appointment=appointment,
            appointment_version=appointment.version,
            kind=message.kind,
            channel=message.channel,
            due_at=message.due_at,
            next_attempt_at=message.due_at,
            context=context or {},
            created_at=now,
        )
        for message in planned
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _visit(appointment: Appointment, now: datetime) -> planner.Visit:
    patient = appointment.patient
    sent = Notification.objects.filter(
        appointment=appointment, appointment_version__lt=appointment.version, status=Status.SENT
    ).values_list("kind", flat=True)
    return planner.Visit(
        start=appointment.start,
        end=appointment.end,
        status=appointment.status,
        version=appointment.version,
        now=now,
        zone=patient_zone(appointment),
        email_reminders=patient.notify_email,
        sms_reminders=patient.notify_sms and bool(patient.phone),
        sent_before=frozenset(sent),
    )


def _patient_was_told(appointment: Appointment) -> bool:
    told = (AppointmentEvent.Action.CONFIRMED, AppointmentEvent.Action.SENT_FOR_REVIEW)
    if appointment.events.filter(action__in=told).exists():
        return True
    return Notification.objects.filter(appointment=appointment).exists()


# The nudge publishes on a connection of its own that gives up at once: with the
# broker down, a booking must not wait for the usual reconnection attempts.
NUDGE_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}


def nudge_dispatcher() -> None:
    """Ask a worker to dispatch now rather than at the next beat. Best effort: with
    the broker down the rows simply wait for beat, so a failure is only logged."""
    if not getattr(settings, "NOTIFICATIONS_NUDGE", True):
        return
    try:
        with dispatch_due.app.connection_for_write(transport_options=NUDGE_TRANSPORT_OPTIONS) as connection:
            dispatch_due.apply_async(retry=False, producer=connection.Producer())
    except Exception as exc:  # the broker's errors vary by transport; none may fail a booking
        logger.warning("notifications: could not nudge the dispatcher (%s); beat will pick the rows up", exc)


# --- Admin --------------------------------------------------------------------------------


def retry_failed(ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Failed rows go back to pending, due now, with their tries reset."""
    now = now or timezone.now()
    with transaction.atomic():
        count = Notification.objects.filter(pk__in=list(ids), status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, leased_by="", leased_until=None
        )
    if count:
        transaction.on_commit(nudge_dispatcher)
    return count
