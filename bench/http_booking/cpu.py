"""CPU accounting: gunicorn's process tree, PostgreSQL's backends, the load generator and the machine."""

from __future__ import annotations

import resource
import threading

from django.db import connection

from bench.common import machine_cpu_ticks, process_tree_cpu_seconds
from bench.http_booking.server import Server


class PostgresCpu:
    """CPU seconds used by the PostgreSQL backends connected to the bench database during a block.

    Django replaces a connection after CONN_MAX_AGE (60 s), so backends come and go: a
    thread samples them every second and adds up what each used while it was seen."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PostgresCpu:
        self._sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._sample(first=False)

    @property
    def seconds(self) -> float:
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                self._sample(first=False)
        finally:
            connection.close()  # this thread's own connection

    def _sample(self, *, first: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids = [int(row[0]) for row in cursor.fetchall()]
        for pid in pids:
            cpu = process_tree_cpu_seconds(pid)
            if first:
                self.first[pid] = cpu
            self.last[pid] = max(cpu, self.last.get(pid, 0.0))


def _cpu(server: Server) -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    busy, total = machine_cpu_ticks()
    return {
        "server": process_tree_cpu_seconds(server.pid),
        "client": usage.ru_utime + usage.ru_stime,
        "busy": busy,
        "total": total,
    }
