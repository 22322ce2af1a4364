"""Leases that last as long as their worker: a heartbeat keeps them short.

A worker claims rows with a short lease (dispatch.LEASE, 30 s) and, while it lives, a
thread renews the lease of every row it still holds three times per lease. A worker
killed mid-batch stops renewing, so its rows are free at most one lease after its death
and beat's next run (every 30 s) sends them: within about a minute, where a fixed lease
long enough for the slowest batch left them waiting for minutes. A live worker never
loses a row to another, however slow one send is, so nothing is sent twice while its
first send is under way. A worker that is alive but stuck stops renewing after `until`
(its time budget plus a grace period) and is then treated as dead."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress
from datetime import datetime, timedelta
from types import TracebackType

from django.db import DatabaseError, connection
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger(__name__)


def renew(*, worker: str, lease: timedelta, now: datetime | None = None) -> int:
    """Push the lease of every row `worker` still holds to `lease` from now."""
    now = now or timezone.now()
    held = Notification.objects.filter(status=Notification.Status.SENDING, leased_by=worker)
    return held.update(leased_until=now + lease)


class Heartbeat:
    """`with Heartbeat(worker=..., lease=..., until=...):` renews the worker's leases every
    `every` (a third of the lease by default) until the block ends or the monotonic
    clock passes `until`."""

    def __init__(self, *, worker: str, lease: timedelta, until: float, every: timedelta | None = None) -> None:
        self.worker = worker
        self.lease = lease
        self.until = until
        self.every = (every or lease / 3).total_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-heartbeat-{worker}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every) and time.monotonic() < self.until:
                try:
                    renew(worker=self.worker, lease=self.lease)
                except DatabaseError as exc:
                    # The next beat tries again on a fresh connection (this one may have died
                    # with a database restart); meanwhile the lease itself still holds.
                    logger.warning("notifications: could not renew the leases of %s (%s)", self.worker, exc)
                    with suppress(DatabaseError):
                        connection.close()
        finally:
            connection.close()  # this thread's own connection (Django's are per thread)
