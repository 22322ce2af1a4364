"""The copies of Acus visits in practitioners' own calendars (the VisitCopy outbox).

Queueing runs inside booking's transaction (calendars.receivers): it writes rows only, bumping
`wanted` on every copy the change touches, so the copy commits or rolls back with the change.
Writing runs in a worker (calendars.tasks), outside any transaction: it claims the row with a
lease, decides from the database what the calendar should hold NOW (the event, or nothing),
PUTs or DELETEs it by its stable UID, and records the `wanted` it read as `written`. Because
the write always brings the remote event to the current state rather than replaying a change, a
retry, a duplicate task, two workers or changes arriving out of order all converge on one event;
a change committed during a write leaves `written < wanted`, so the row is written again.

Failures back off (30 s doubling to an hour, with jitter) and are logged by copy id and failure
code only: never the calendar's address, the username, or the server's words.

A removed connection (Connection.removed_at) is invisible everywhere but here: its copies are all
"absent", so the push deletes its events with the credentials it still holds, then deletes the
row (its copies and sealed credentials go with it). A server that never answers again is given up
on after REMOVAL_GIVE_UP."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from booking.models import Appointment, ErasureRequest
from calendars import dav, secrets
from calendars.models import CalendarSettings, Connection, EventDetail, VisitCopy
from calendars.net import FetchError
from calendars.uids import visit_uid
from calendars.visit_event import Visit, visit_ics

logger = logging.getLogger(__name__)
Status = Appointment.Status

# A new copy is made for these (held visits are never copied: nothing was promised yet).
COPIED = (Status.PENDING_REVIEW, Status.CONFIRMED)
# The event stays for these: a visit that took place (or was missed) keeps its time in the
# practitioner's calendar, as in the workspace feed; only cancelled and declined visits go.
KEPT = (*COPIED, Status.COMPLETED, Status.NO_SHOW)

FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
_GIVE_UP_AT_ONCE = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}
# How long the push keeps trying to delete a removed connection's events before it forgets the
# connection anyway (its credentials must not be kept for ever for a server that is gone, or
# whose password the practitioner revoked when removing it). A week covers a long outage.
REMOVAL_GIVE_UP = timedelta(days=7)
# The clinic settings whose events show the patient's name (or its initials).
NAMED = (EventDetail.INITIALS, EventDetail.FULL_NAME)


# --- Queueing (inside the caller's transaction: rows only) ----------------------------------


def write_target(practitioner_id: int) -> Connection | None:
    """The practitioner's calendar for their visits (paused or not: a paused one keeps its
    copies due, and they are written when it resumes)."""
    return Connection.objects.filter(
        practitioner_id=practitioner_id, write_visits=True, kind=Connection.Kind.CALDAV
    ).first()


def queue_copies(*, appointment: Appointment) -> list[int]:
    """A visit changed: its copy in the practitioner's write target is (re)queued, and every
    other copy of it (the previous practitioner's calendar after a move, a calendar that is no
    longer the write target) is bumped too, so the worker removes it. Returns the copies' ids."""
    now = timezone.now()
    target = write_target(appointment.practitioner_id)
    if target is not None and appointment.status in COPIED:
        _insert_missing(target, [appointment.pk], now)
    copies = VisitCopy.objects.filter(appointment_id=appointment.pk)
    touched = list(copies.values_list("pk", flat=True))
    _bump(copies, now)
    _nudge_after_commit(touched)
    return touched


def queue_upcoming(*, connection: Connection, now: datetime | None = None) -> int:
    """Copies for all the practitioner's future visits in `connection`, their write target (call
    after choosing it or resuming it); and the practitioner's copies left in their other
    calendars are bumped, so the worker removes them. Returns how many copies are due."""
    now = now or timezone.now()
    ids: list[int] = []
    if connection.write_visits and connection.kind == Connection.Kind.CALDAV:
        upcoming = list(
            Appointment.objects.filter(
                practitioner_id=connection.practitioner_id, status__in=COPIED, end__gt=now
            ).values_list("pk", flat=True)
        )
        _insert_missing(connection, upcoming, now)
        mine = VisitCopy.objects.filter(connection=connection, appointment_id__in=upcoming)
        ids += mine.values_list("pk", flat=True)
        _bump(mine, now)
    ids += forget_copies(practitioner_id=connection.practitioner_id, keep=connection.pk, now=now, nudge=False)
    _nudge_after_commit(ids)
    return len(ids)


def forget_copies(
    *, practitioner_id: int, keep: int | None = None, now: datetime | None = None, nudge: bool = True
) -> list[int]:
    """Copies Acus wrote (or may have written) to the practitioner's calendars other than `keep`
    are bumped: not the write target any more, so the worker deletes them. Call after the write
    target is switched off with no new one (a removed connection's copies are bumped by
    `retire`, which also covers these)."""
    now = now or timezone.now()
    stale = VisitCopy.objects.filter(connection__practitioner_id=practitioner_id).filter(
        Q(exists=True) | Q(written__lt=F("wanted"))
    )
    if keep is not None:
        stale = stale.exclude(connection_id=keep)
    ids = list(stale.values_list("pk", flat=True))
    _bump(VisitCopy.objects.filter(pk__in=ids), now)
    if nudge:
        _nudge_after_commit(ids)
    return ids


def may_be_in_calendar(connection_id: int) -> bool:
    """Whether an event of this connection may be in its calendar: a copy written there, or one
    a worker is writing (or died writing: its lease is never cleared then)."""
    return (
        VisitCopy.objects.filter(connection_id=connection_id)
        .filter(Q(exists=True) | Q(leased_until__isnull=False))
        .exists()
    )


def retire(connection: Connection, *, now: datetime) -> bool:
    """Inside the removal's transaction, the connection row locked: with nothing of Acus in its
    calendar the row is deleted now; otherwise it is marked removed (invisible from now on) and
    every copy of it is bumped, so the push deletes the events and then the row. True when the
    row was kept for that."""
    if not may_be_in_calendar(connection.pk):
        connection.delete()
        return False
    connection.removed_at = now
    connection.write_visits = False
    connection.save(update_fields=["removed_at", "write_visits"])
    mine = VisitCopy.objects.filter(connection_id=connection.pk)
    ids = list(mine.values_list("pk", flat=True))
    _bump(mine, now)
    _nudge_after_commit(ids)
    return True


def requeue_patient(*, patient_id: int, now: datetime | None = None) -> list[int]:
    """The patient's name changed or was erased: every copy of their visits, past and future,
    whose clinic shows names or initials is written again (its event in the calendar now, or
    one being written). Returns the copies' ids."""
    named = CalendarSettings.objects.filter(event_detail__in=NAMED).values("clinic_id")
    shown = VisitCopy.objects.filter(
        Q(exists=True) | Q(written__lt=F("wanted")),
        appointment__patient_id=patient_id,
        appointment__clinic_id__in=named,
    )
    ids = list(shown.values_list("pk", flat=True))
    if ids:
        _bump(VisitCopy.objects.filter(pk__in=ids), now or timezone.now())
        _nudge_after_commit(ids)
    return ids


def _insert_missing(connection: Connection, appointment_ids: list[int], now: datetime) -> None:
    # wanted=0 here and the bump below makes it 1: one statement path for new and old rows, and
    # ON CONFLICT DO NOTHING makes a concurrent queue_upcoming and queue_copies safe.
    VisitCopy.objects.bulk_create(
        [
            VisitCopy(connection=connection, appointment_id=pk, uid=visit_uid(pk), wanted=0, next_attempt_at=now)
            for pk in appointment_ids
        ],
        ignore_conflicts=True,
    )


def _bump(copies: QuerySet[VisitCopy], now: datetime) -> None:
    copies.update(wanted=F("wanted") + 1, next_attempt_at=now, attempts=0)


def _nudge_after_commit(copy_ids: list[int]) -> None:
    if copy_ids and settings.CALENDAR_PUSH_NUDGE:
        ids = list(copy_ids)
        transaction.on_commit(lambda: nudge(ids))


def nudge(copy_ids: list[int]) -> None:
    """Queue calendars.push_copy for each copy; a broker failure must not fail the booking (the
    beat sweep, calendars.push_due, writes them within a minute)."""
    try:
        with current_app.connection_for_write(transport_options=_GIVE_UP_AT_ONCE) as connection:
            producer = connection.Producer()
            for pk in copy_ids:
                # By name: the tasks module imports this one.
                current_app.send_task("calendars.push_copy", args=(pk,), retry=False, producer=producer)
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning("calendars: could not queue push_copy (%s); the sweep will write the copies", type(exc).__name__)


# --- Writing (a worker, outside any transaction) --------------------------------------------


def _lease() -> timedelta:
    # Longer than one PUT or DELETE can take (CALENDAR_FETCH_SECONDS caps it), so a lease runs
    # out only when its worker died.
    return timedelta(seconds=settings.CALENDAR_FETCH_SECONDS + 60)


def due(now: datetime) -> Q:
    """Copies that need a write now: behind `wanted`, past their backoff, not leased, in a
    calendar that is not paused (a removed one's pause no longer counts: its events go)."""
    return (
        Q(written__lt=F("wanted"), next_attempt_at__lte=now)
        & (Q(connection__paused=False) | Q(connection__removed_at__isnull=False))
        & (Q(leased_until__isnull=True) | Q(leased_until__lte=now))
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure in a row: 30 s, 1 min, 2 min ... at most 1 hour,
    plus up to 10 % jitter so copies that failed together do not retry together."""
    base = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY) if attempts < 20 else LAST_RETRY
    return base * (1 + random.uniform(0, 0.1))


def write_copy(copy_id: int, *, now: datetime | None = None) -> bool:
    """Bring one copy's remote event to the visit's current state. True when it was written;
    False when the copy was not due (already written, backing off, leased by another worker,
    paused) or the write failed (it is retried later)."""
    return _push(copy_id, now or timezone.now()) == _WRITTEN


_WRITTEN, _SKIPPED, _FAILED = "written", "skipped", "failed"


def _push(copy_id: int, now: datetime) -> str:
    # (The default manager leaves removed connections out: their pause no longer counts.)
    if Connection.objects.filter(visit_copies=copy_id, paused=True).exists():
        return _SKIPPED  # left due: written when the calendar resumes
    until = now + _lease()
    # The claim tests only this row's own columns, so that PostgreSQL re-checks all of them on
    # the row a concurrent claim just updated (a join or sub-select would be checked stale).
    claimed = VisitCopy.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lte=now),
        pk=copy_id,
        written__lt=F("wanted"),
        next_attempt_at__lte=now,
    ).update(leased_until=until)
    if not claimed:
        return _SKIPPED
    copy = VisitCopy.objects.select_related("connection").get(pk=copy_id)
    wanted = copy.wanted
    try:
        exists, etag = _write(copy, copy.connection, now)
    except FetchError as exc:
        attempts = copy.attempts + 1
        VisitCopy.objects.filter(pk=copy_id, leased_until=until).update(
            attempts=attempts,
            last_failure=exc.failure,
            next_attempt_at=now + backoff(attempts),
            leased_until=None,
        )
        logger.warning("calendars: writing visit copy %s failed (%s)", copy_id, exc.failure)
        return _FAILED
    except BaseException:
        VisitCopy.objects.filter(pk=copy_id, leased_until=until).update(leased_until=None)
        raise
    # Compare-and-set on the lease: a worker whose lease ran out (and was taken over) records
    # nothing. `written` is the `wanted` read before the write: a change committed since keeps
    # the copy due, and it is written again.
    VisitCopy.objects.filter(pk=copy_id, leased_until=until).update(
        written=wanted, exists=exists, etag=etag, attempts=0, last_failure="", leased_until=None
    )
    if copy.connection.removed_at is not None:
        _drop_if_emptied(copy.connection_id)
    return _WRITTEN


def _write(copy: VisitCopy, connection: Connection, now: datetime) -> tuple[bool, str]:
    appointment = Appointment.objects.select_related("patient", "clinic", "practitioner__user").get(
        pk=copy.appointment_id
    )
    wanted_here = (
        appointment.status in KEPT
        and appointment.practitioner_id == connection.practitioner_id
        and connection.write_visits
        and connection.removed_at is None
    )
    credentials = secrets.unseal(connection.secret)
    url, username, password = credentials["url"], credentials["username"], credentials["password"]
    if not wanted_here:
        dav.delete_event(url, username, password, copy.uid)
        return False, ""
    detail = _event_detail(appointment.clinic_id)
    visit = Visit.of(appointment)
    if detail in NAMED and ErasureRequest.objects.filter(patient_id=appointment.patient_id).exists():
        # Erased: the legal name Acus may keep for the signed records never leaves it again.
        visit = replace(visit, patient_name="")
    ics = visit_ics(visit, detail=detail, language=appointment.practitioner.user.language, now=now)
    return True, dav.put_event(url, username, password, copy.uid, ics)


def _event_detail(clinic_id: int) -> str:
    chosen = CalendarSettings.objects.filter(clinic_id=clinic_id).values_list("event_detail", flat=True).first()
    return chosen or EventDetail.BUSY


def _drop_if_emptied(connection_id: int) -> None:
    """A removed connection with no event left in its calendar, and none left to delete, goes
    (its copies and its sealed credentials with it). Each copy's record commits before this
    check, so of two workers finishing its last copies at once the later one sees both."""
    with transaction.atomic():
        removed = Connection.all_objects.select_for_update().filter(pk=connection_id, removed_at__isnull=False).first()
        if removed is None:
            return
        left = VisitCopy.objects.filter(connection_id=connection_id).filter(Q(exists=True) | Q(written__lt=F("wanted")))
        if not left.exists():
            removed.delete()


def forget_removed(*, now: datetime) -> list[int]:
    """Delete removed connections with nothing left to delete, and those whose events could not
    be deleted within REMOVAL_GIVE_UP (a WARNING names their ids). Returns the ids deleted."""
    left = VisitCopy.objects.filter(connection_id=OuterRef("pk")).filter(Q(exists=True) | Q(written__lt=F("wanted")))
    removed = Connection.all_objects.filter(removed_at__isnull=False)
    done = list(removed.filter(~Exists(left)).values_list("pk", flat=True))
    abandoned = list(removed.filter(Exists(left), removed_at__lte=now - REMOVAL_GIVE_UP).values_list("pk", flat=True))
    if abandoned:
        logger.warning(
            "calendars: gave up deleting visit copies from removed connections %s after %s days",
            ", ".join(map(str, abandoned)),
            REMOVAL_GIVE_UP.days,
        )
    ids = done + abandoned
    if ids:
        Connection.all_objects.filter(pk__in=ids, removed_at__isnull=False).delete()
    return ids


def push_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Write every due copy, oldest first (the beat sweep). A calendar that fails is skipped for
    the rest of the sweep: its other copies wait for the next sweep instead of each waiting out
    a timeout now. Returns how many copies were written. Removed connections that are done, or
    given up on, are deleted first."""
    forget_removed(now=now or timezone.now())
    due_ids = list(
        VisitCopy.objects.filter(due(now or timezone.now()))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "connection_id")[:limit]
    )
    written, failing = 0, set()
    for copy_id, connection_id in due_ids:
        if connection_id in failing:
            continue
        # The clock of each write, not of the sweep's start: a lease must outlast its own write.
        outcome = _push(copy_id, now or timezone.now())
        if outcome == _WRITTEN:
            written += 1
        elif outcome == _FAILED:
            failing.add(connection_id)
    return written
