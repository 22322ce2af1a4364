"""The per-process files of prometheus-client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR).

Each process that counts writes `<kind>_<pid>.db` in the folder; a scrape sums them all
(core.metrics.scrape). The files of a process that exited are kept for the rest of the run,
so a counter never goes down when gunicorn replaces a worker. At start (gunicorn's master,
before it forks; a Celery worker that serves its own port) the files of processes that no
longer run are removed: counters then start again from zero, which Prometheus reads as the
restart it is. Files of processes still running are kept, so a Celery worker that shares the
folder on the same host loses nothing when gunicorn restarts.

Nothing here imports Django or the metric families (core.metrics): gunicorn's master calls it
from config/gunicorn.py before any folder exists or settings are read."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from prometheus_client import multiprocess

log = logging.getLogger(__name__)


def folder() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def _pid_of(path: Path) -> int | None:
    try:
        return int(path.stem.rsplit("_", 1)[-1])
    except ValueError:
        return None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


def remove_stale_files(path: str | None = None) -> int:
    """Remove the files of processes that no longer run; returns how many. Creates the folder."""
    where = path or folder()
    if not where:
        return 0
    os.makedirs(where, exist_ok=True)
    removed = 0
    for file in Path(where).glob("*.db"):
        pid = _pid_of(file)
        if pid is None or not _running(pid):
            file.unlink(missing_ok=True)
            removed += 1
    if removed:
        log.info("metrics: removed %s files of processes that no longer run from %s", removed, where)
    return removed


def process_exited(pid: int) -> None:
    """A counting process ended: its live gauges go (its counters stay, see above)."""
    if folder():
        multiprocess.mark_process_dead(pid)
