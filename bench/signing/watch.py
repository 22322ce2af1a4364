"""What PostgreSQL sees while the signers run: every few milliseconds, how many signer
connections are waiting on a heavyweight lock (pg_stat_activity.wait_event_type = 'Lock': a row
lock such as the chain head's shows as 'transactionid' or 'tuple'), and how many are active."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from bench.common import bench_database_url
from bench.signing import APP_NAME_PREFIX

QUERY = """
SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),
       count(*) FILTER (WHERE state = 'active'),
       coalesce(string_agg(wait_event, ',') FILTER (WHERE wait_event_type = 'Lock'), '')
FROM pg_stat_activity
WHERE application_name LIKE %s
"""


class LockWatch:
    """A thread with its own connection sampling pg_stat_activity until stopped."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.samples: list[tuple[int, int]] = []
        self.events: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lock-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join(timeout=10)
        return self.figures()

    def figures(self) -> dict[str, Any]:
        if not self.samples:
            return {"pg_samples": 0}
        waiting = [w for w, _ in self.samples]
        active = [a for _, a in self.samples]
        return {
            "pg_samples": len(self.samples),
            "pg_lock_waiters_mean": round(sum(waiting) / len(waiting), 2),
            "pg_lock_waiters_max": max(waiting),
            "pg_samples_with_a_waiter": round(sum(1 for w in waiting if w) / len(waiting), 3),
            "pg_active_mean": round(sum(active) / len(active), 2),
            "pg_lock_wait_events": dict(self.events.most_common()),
        }

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(bench_database_url(), autocommit=True) as conn:
            while not self._stop.is_set():
                row = conn.execute(QUERY, [APP_NAME_PREFIX + "%"]).fetchone()
                if row is not None:
                    self.samples.append((int(row[0]), int(row[1])))
                    self.events.update(e for e in str(row[2]).split(",") if e)
                time.sleep(self.interval)
