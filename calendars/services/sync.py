"""Reading busy time from a connected calendar into BusyRange rows.

One sync of one connection: claim it with a lease (a compare-and-set on sync_leased_until, so two
workers never read one calendar at once), fetch outside any transaction (booking never waits on
an outside server, and no row lock is held while one answers slowly), turn the answer into busy
spans (calendars.busy), then swap the connection's rows in one short transaction.

A failed sync changes no BusyRange: the last known busy times keep blocking their slots, which is
the safe side (a patient cannot book over a shift Acus can no longer see). The failure is recorded
as a code, and once the calendar has been failing for longer than the clinic allows, the
practitioner and the clinic's admins are told, once (calendars.services.stale)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from booking.availability import Interval
from calendars import dav, secrets, state, uids
from calendars.busy import BusyParseError, busy_intervals
from calendars.models import BusyRange, CalendarEvent, Connection
from calendars.net import FetchError
from calendars.services import stale

log = logging.getLogger(__name__)

Failure = Connection.Failure
# Busy time is read from a day before now (a visit being moved today) to a day past the furthest
# a patient may book (a slot on the horizon's last day, in any zone).
MARGIN = timedelta(days=1)
DEFAULT_HORIZON = timedelta(days=60)
_BATCH = 1000


def lease_length() -> timedelta:
    """Longer than one fetch may take (CALENDAR_FETCH_SECONDS caps it), so a lease only runs out
    when its worker died."""
    return timedelta(seconds=settings.CALENDAR_FETCH_SECONDS * 2 + 60)


@dataclass(frozen=True)
class _Plan:
    connection: Connection
    start: datetime
    end: datetime
    zone: ZoneInfo


def sync_connection(connection_id: int, *, now: datetime | None = None) -> bool:
    """Read the calendar's busy time and replace its BusyRange rows. True when it did; False when
    the sync failed (recorded on the connection, old rows kept), or another worker holds it, or it
    is paused or gone (nothing done)."""
    now = now or timezone.now()
    lease = _claim(connection_id, now)
    if lease is None:
        return False
    plan = _plan(connection_id, now)
    if plan is None:
        return False
    try:
        intervals = _read(plan)
    except (FetchError, BusyParseError, secrets.NotConfigured) as exc:
        _fail(plan.connection, _failure_code(connection_id, exc), lease=lease, now=now)
        stale.notify_if_stale(connection_id, now=now)
        return False
    except BaseException:
        # A bug, not the calendar's fault: let the next run try at once rather than after the lease.
        Connection.objects.filter(pk=connection_id, sync_leased_until=lease).update(sync_leased_until=None)
        raise
    return _store(plan.connection, intervals, lease=lease, now=now)


def due_connections(*, now: datetime, every: timedelta) -> list[int]:
    """Connections not paused whose last attempt is older than `every` (or that never synced),
    and that no worker is syncing now."""
    due = Connection.objects.filter(paused=False).filter(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - every)
    )
    free = due.filter(Q(sync_leased_until__isnull=True) | Q(sync_leased_until__lt=now))
    return list(free.order_by("last_attempt_at", "pk").values_list("pk", flat=True))


def _claim(connection_id: int, now: datetime) -> datetime | None:
    """The lease's end if this worker now holds the connection, else None."""
    until = now + lease_length()
    free = Q(sync_leased_until__isnull=True) | Q(sync_leased_until__lt=now)
    claimed = Connection.objects.filter(free, pk=connection_id, paused=False).update(sync_leased_until=until)
    return until if claimed else None


def _plan(connection_id: int, now: datetime) -> _Plan | None:
    connection = Connection.objects.select_related("practitioner").filter(pk=connection_id).first()
    if connection is None:
        return None
    clinics = list(connection.practitioner.clinics.order_by("pk"))
    horizon = max((clinic.policy.max_advance for clinic in clinics), default=DEFAULT_HORIZON)
    # All-day and floating times mean "wherever the practitioner is": their (first) clinic's zone.
    return _Plan(connection, start=now - MARGIN, end=now + horizon + MARGIN, zone=state.zone_of(clinics))


def _read(plan: _Plan) -> list[Interval]:
    """Fetch and parse: outside any transaction, and nothing here writes."""
    credentials = secrets.unseal(plan.connection.secret)
    if plan.connection.kind == Connection.Kind.ICS:
        payloads = [dav.fetch_ics(credentials["url"])]
    else:
        payloads = dav.events_between(
            credentials["url"], credentials["username"], credentials["password"], plan.start, plan.end
        )
    return busy_intervals(payloads, start=plan.start, end=plan.end, zone=plan.zone, own=uids.is_own_uid)


def _failure_code(connection_id: int, exc: Exception) -> str:
    if isinstance(exc, FetchError):
        return exc.failure
    if isinstance(exc, BusyParseError):
        return Failure.INVALID
    # The stored credentials do not open with CALENDAR_KEYS: an operator's problem, said loudly;
    # for the practitioner it reads as "the credentials are not accepted", and reconnecting (which
    # seals them again with the current keys) is indeed their way out.
    log.error("calendar connection %s: its stored credentials do not open with CALENDAR_KEYS", connection_id)
    return Failure.AUTH


def _store(connection: Connection, intervals: list[Interval], *, lease: datetime, now: datetime) -> bool:
    rows = [
        BusyRange(connection_id=connection.pk, practitioner_id=connection.practitioner_id, start=i.start, end=i.end)
        for i in intervals
    ]
    with transaction.atomic():
        held = Connection.objects.select_for_update().filter(pk=connection.pk, sync_leased_until=lease).first()
        if held is None:
            return False  # removed while reading, or the lease ran out and another worker took it
        BusyRange.objects.filter(connection_id=connection.pk).delete()
        BusyRange.objects.bulk_create(rows, batch_size=_BATCH)
        Connection.objects.filter(pk=connection.pk).update(
            last_attempt_at=now,
            last_success_at=now,
            busy_count=len(rows),
            last_failure="",
            failures=0,
            stale_notified_at=None,
            sync_leased_until=None,
        )
        if held.stale_notified_at is not None:
            CalendarEvent.objects.create(
                practitioner_id=connection.practitioner_id,
                connection_id=connection.pk,
                action=CalendarEvent.Action.RECOVERED,
                at=now,
                data={"stale_since": _iso(held.last_success_at), "failures": held.failures},
            )
    if held.last_failure:
        log.info("calendar connection %s synced again after %s failures", connection.pk, held.failures)
    return True


def _fail(connection: Connection, failure: str, *, lease: datetime, now: datetime) -> None:
    """Record the failure and release the lease; the BusyRange rows stay as they were."""
    updated = Connection.objects.filter(pk=connection.pk, sync_leased_until=lease).update(
        last_attempt_at=now, last_failure=failure, failures=F("failures") + 1, sync_leased_until=None
    )
    if not updated:
        return
    # One WARNING when a working calendar starts failing (or fails differently); repeats are INFO.
    level = logging.INFO if connection.last_failure == failure else logging.WARNING
    log.log(level, "calendar connection %s failed to sync: %s", connection.pk, failure)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None
