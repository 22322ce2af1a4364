"""Claim due outbox rows and send them.

A worker claims a batch with SELECT ... FOR UPDATE SKIP LOCKED (on SQLite the
IMMEDIATE transaction serialises claims instead) and leases the rows: status
`sending`, leased_by itself, leased_until a short LEASE ahead, which a heartbeat
thread renews while the worker lives (notifications/leases.py). Claiming counts a
try. Each row is then re-checked against its appointment and sent outside any
transaction; the result is written only if the row is still leased by this worker
(compare-and-set). A worker that dies stops renewing; once its leases run out (within
LEASE) another worker claims the rows again, so nothing is lost, and a message whose
send had already left is recognised by its stable Message-ID or Idempotency-Key."""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from booking.ics import appointment_calendar
from booking.models import Appointment
from core import metrics
from notifications import content, course_checks, offer_checks, planner
from notifications.channels import TransportError, email, sms
from notifications.kinds import ABOUT_A_COURSE, AFTER_VISIT, BEFORE_VISIT, Channel, Kind
from notifications.leases import Heartbeat
from notifications.models import ClinicNotificationSettings, Notification
from notifications.selectors import clinic_id_of, patient_of, patient_zone, settings_for, subject_of
from notifications.verdicts import Verdict

logger = logging.getLogger(__name__)
Status = Notification.Status
Visit = Appointment.Status

BATCH = 50
# Short, because a heartbeat renews it while the worker lives: a dead worker's rows wait
# at most this long, plus beat's 30 s, before another worker sends them.
LEASE = timedelta(seconds=30)
BUDGET = timedelta(seconds=25)  # under beat's 30 s, so runs do not pile up
# A worker still alive this long after its budget is stuck in a send: its heartbeat
# stops, and its rows go to another worker as if it had died.
STUCK_AFTER = timedelta(minutes=5)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=2)
REVIEW_WAIT = timedelta(minutes=15)
CALENDAR_KINDS = frozenset({Kind.CONFIRMATION, Kind.RESCHEDULE})


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(
    attempts: int,
    *,
    base: timedelta = BACKOFF_BASE,
    cap: timedelta = BACKOFF_CAP,
    rand: Callable[[], float] = random.random,
) -> timedelta:
    """How long to wait after the `attempts`-th failed try: doubling from `base`,
    capped, with "equal jitter" (between half and all of it) so that rows that
    failed together do not all come back together."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * (0.5 + rand() / 2)


def claim_due(*, worker: str, batch: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> list[int]:
    """Lease up to `batch` due rows (pending and due, or leased by a worker whose lease ran out)."""
    now = now or timezone.now()
    rows = Notification.objects.select_for_update(skip_locked=True).values_list("pk", flat=True)
    with transaction.atomic():
        # Two queries rather than one with OR: each walks its own index in order and
        # stops at `batch`, instead of sorting every due row on each claim.
        ids = list(rows.filter(status=Status.SENDING, leased_until__lte=now).order_by("leased_until")[:batch])
        if len(ids) < batch:
            due = rows.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")
            ids += due[: batch - len(ids)]
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                status=Status.SENDING, leased_by=worker, leased_until=now + lease, attempts=F("attempts") + 1
            )
    return ids


@dataclass
class Run:
    """What one dispatch run looks up once: clinic settings and wording."""

    templates: content.Templates = field(default_factory=content.Templates)
    configs: dict[int, ClinicNotificationSettings] = field(default_factory=dict)

    def config(self, clinic_id: int) -> ClinicNotificationSettings:
        if clinic_id not in self.configs:
            self.configs[clinic_id] = settings_for(clinic_id)
        return self.configs[clinic_id]


def leased(ids: list[int], *, worker: str) -> dict[int, Notification]:
    """The rows among `ids` still leased by `worker`, with what sending needs, in one query."""
    rows = Notification.objects.select_related(
        "appointment__patient__user",
        "appointment__practitioner__user",
        "appointment__clinic",
        "appointment__appointment_type",
        "plan__patient__user",
        "plan__practitioner__user",
        "plan__clinic",
        "plan__appointment_type",
        "offer__entry__patient__user",
        "offer__appointment_type__clinic",
        "offer__practitioner__user",
    ).filter(pk__in=ids, status=Status.SENDING, leased_by=worker)
    return {row.pk: row for row in rows}


def send_one(notification_id: int, *, worker: str, now: datetime | None = None, run: Run | None = None) -> str:
    """Re-check, send and record one leased row; returns its new status ("lost" if the lease is gone)."""
    row = leased([notification_id], worker=worker).get(notification_id)
    if row is None:
        return "lost"
    return send_row(row, worker=worker, now=now or timezone.now(), run=run or Run())


def send_row(row: Notification, *, worker: str, now: datetime, run: Run) -> str:
    config = run.config(clinic_id_of(row))
    verdict = recheck(row, config, now)
    if verdict is not None:
        return _finish(row, worker, verdict.status, **verdict.changes())
    if row.attempts > config.max_attempts:
        finished = _finish(
            row, worker, status=Status.FAILED, last_error=row.last_error or "a worker died on the last try"
        )
        return _gave_up(row, finished)
    try:
        language = deliver(row, config, run)
    except TransportError as exc:
        return _failed(row, worker, exc, config, now)
    except Exception as exc:  # a template or data error: retried like the rest, then visible as failed
        logger.exception("notifications: sending %s failed", row.pk)
        return _failed(row, worker, TransportError(f"{type(exc).__name__}: {exc}"), config, now)
    finished = _finish(row, worker, status=Status.SENT, sent_at=timezone.now(), last_error="", language=language or "")
    if finished == Status.SENT:
        metrics.count_after_commit(metrics.MESSAGES_SENT, channel=row.channel)
        if row.offer_id is not None:
            offer_checks.mark_sent(row, now)
    return finished


def recheck(row: Notification, config: ClinicNotificationSettings, now: datetime) -> Verdict | None:
    """Why this row must not be sent now, or None to send it."""
    appointment = row.appointment
    if row.kind == Kind.WAITLIST_OFFER or row.offer_id is not None:
        return offer_checks.recheck(row, config, now)
    if row.kind in ABOUT_A_COURSE or appointment is None:
        return course_checks.recheck(row, config, now)
    patient = appointment.patient
    state = appointment.get_status_display().lower()
    if row.kind != Kind.PRACTITIONER_ALERT and not patient.user.is_active:
        return Verdict(Status.SKIPPED, "the patient's account is closed")
    if row.appointment_version != appointment.version and row.kind != Kind.PRACTITIONER_ALERT:
        return Verdict(Status.CANCELLED, f"appointment moved (now version {appointment.version})")
    if row.kind in AFTER_VISIT and appointment.status not in (Visit.CONFIRMED, Visit.COMPLETED):
        return Verdict(Status.SKIPPED, f"appointment is {state}")
    if row.kind in BEFORE_VISIT:
        if now >= appointment.start:
            return Verdict(Status.SKIPPED, "too late: the visit has started")
        # A move is told at once, under review too: the patient must learn the new time,
        # and the notice says when the visit needs a new signature (must_sign_again).
        told_under_review = row.kind == Kind.RESCHEDULE and appointment.status == Visit.PENDING_REVIEW
        if appointment.status in (Visit.HELD, Visit.PENDING_REVIEW) and not told_under_review:
            # Back under review (its consent ended): it may be confirmed again in time.
            return Verdict(Status.PENDING, "waiting for a review", wait_until=now + REVIEW_WAIT)
        if appointment.status != Visit.CONFIRMED and not told_under_review:
            return Verdict(Status.CANCELLED, f"appointment is {state}")
    if row.kind == Kind.REMINDER and row.channel == Channel.EMAIL and not patient.notify_email:
        return Verdict(Status.SKIPPED, "the patient turned email reminders off")
    if row.channel == Channel.SMS:
        if not (patient.notify_sms and patient.phone):
            return Verdict(Status.SKIPPED, "the patient turned text messages off")
        allowed = planner.next_allowed_time(now, patient_zone(appointment), config.quiet_start, config.quiet_end)
        if allowed >= appointment.start:
            return Verdict(Status.SKIPPED, "quiet hours last until the visit")
        if allowed > now:
            return Verdict(Status.PENDING, "quiet hours", wait_until=allowed)
    return None


def deliver(row: Notification, config: ClinicNotificationSettings, run: Run) -> str:
    """Send the row's message; returns the language it was written in (the recipient's, see content)."""
    appointment = row.appointment
    rendered = content.render(row, config, run.templates)
    if row.channel == Channel.SMS:
        sms.send_sms(notification_id=row.pk, to=patient_of(row).phone, text=rendered.text)
        return rendered.language
    to_practitioner = row.kind == Kind.PRACTITIONER_ALERT
    to = (subject_of(row).practitioner if to_practitioner else patient_of(row)).user.email
    attachments = []
    if row.kind in CALENDAR_KINDS and appointment is not None:
        with translation.override(rendered.language):
            calendar = appointment_calendar(appointment)
        attachments.append((f"acus-appointment-{appointment.pk}.ics", calendar, "text/calendar"))
    email.send_email(
        notification_id=row.pk,
        to=to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        attachments=attachments,
    )
    return rendered.language


def _failed(
    row: Notification, worker: str, exc: TransportError, config: ClinicNotificationSettings, now: datetime
) -> str:
    error = exc.message[:2000]
    metrics.count_after_commit(metrics.SEND_ERRORS, channel=row.channel)
    if exc.permanent or row.attempts >= config.max_attempts:
        logger.warning("notifications: %s failed for good after %s tries: %s", row.pk, row.attempts, error)
        return _gave_up(row, _finish(row, worker, status=Status.FAILED, last_error=error))
    return _finish(row, worker, status=Status.PENDING, last_error=error, next_attempt_at=now + backoff(row.attempts))


def _gave_up(row: Notification, finished: str) -> str:
    if finished == Status.FAILED:
        metrics.count_after_commit(metrics.MESSAGES_FAILED, channel=row.channel)
    return finished


def _finish(row: Notification, worker: str, status: str, **values: object) -> str:
    """Record the outcome only if this worker still holds the lease (compare-and-set)."""
    with _without_waiting_for_the_disk():
        changed = Notification.objects.filter(pk=row.pk, status=Status.SENDING, leased_by=worker).update(
            status=status, leased_by="", leased_until=None, **values
        )
    if not changed:
        logger.warning("notifications: %s finished as %s but its lease had passed to another worker", row.pk, status)
        return "lost"
    return status


@contextmanager
def _without_waiting_for_the_disk() -> Iterator[None]:
    """A transaction whose commit does not wait for PostgreSQL's WAL flush.

    Only for recording an outcome: if the database crashed before flushing it, the
    row would still be leased and be sent again once the lease runs out - the same
    at-least-once as a worker dying, with the same Message-ID - and it saves one
    disk flush per message."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def release(ids: list[int], *, worker: str) -> None:
    """Give back rows claimed but not tried (out of time): not a try, due at once."""
    Notification.objects.filter(pk__in=ids, status=Status.SENDING, leased_by=worker).update(
        status=Status.PENDING, leased_by="", leased_until=None, attempts=F("attempts") - 1
    )


def dispatch_due(
    *,
    worker: str | None = None,
    batch: int = BATCH,
    lease: timedelta = LEASE,
    budget: timedelta = BUDGET,
    heartbeat: timedelta | None = None,
) -> int:
    """Claim and send due rows until none are left or the time budget is spent; returns rows handled.

    The leases are renewed every `heartbeat` (a third of `lease` by default) while this runs."""
    worker = worker or worker_name()
    deadline = time.monotonic() + budget.total_seconds()
    stuck = deadline + STUCK_AFTER.total_seconds()
    with Heartbeat(worker=worker, lease=lease, until=stuck, every=heartbeat):
        return _dispatch(worker=worker, batch=batch, lease=lease, deadline=deadline)


def _dispatch(*, worker: str, batch: int, lease: timedelta, deadline: float) -> int:
    run = Run()
    handled = 0
    while time.monotonic() < deadline:
        ids = claim_due(worker=worker, batch=batch, lease=lease)
        if not ids:
            break
        rows = leased(ids, worker=worker)
        for index, notification_id in enumerate(ids):
            if time.monotonic() >= deadline:
                release(ids[index:], worker=worker)
                return handled
            if notification_id in rows:
                send_row(rows[notification_id], worker=worker, now=timezone.now(), run=run)
            handled += 1
    return handled
