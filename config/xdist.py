"""The test suite in several pytest-xdist workers: each its own Redis database (config/test_settings.py)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def own_redis_database(url: str, worker: str) -> str:
    """REDIS_URL with the database number moved up by the pytest-xdist worker's index
    (gw0 keeps it, gw1 takes the next, ...). Each worker then has its own broker queue,
    throttle counters and cache, as it has its own test database (pytest-django names it
    after the worker): a Celery worker started by one test never takes another's tasks."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base + int(worker.removeprefix("gw"))
    if number > 15:  # Redis's default `databases 16`
        raise RuntimeError(f"pytest-xdist worker {worker} would need Redis database {number}: run fewer workers")
    return urlunsplit(parts._replace(path=f"/{number}"))
