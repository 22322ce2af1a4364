"""Tests that need PostgreSQL, Redis, Chromium or PgBouncer skip on a bare laptop, and fail under CI=true."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def need(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available", pytrace=False)
    pytest.skip(f"{what} is not available here (it is required, and never skipped, in CI)")


def need_postgres() -> None:
    from django.db import connection

    need(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL=postgres://...)")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def need_redis() -> str:
    url = redis_url()
    ok = False
    if url:
        import redis

        try:
            ok = bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except redis.RedisError:
            ok = False
    need(ok, "Redis (set REDIS_URL=redis://...)")
    return url


def need_chromium() -> str:
    need(os.path.exists(CHROMIUM) or shutil.which("chromium") is not None, f"Chromium at {CHROMIUM}")
    return CHROMIUM


def need_pgbouncer() -> str:
    """The pgbouncer program (Debian's package puts it in /usr/sbin; .ci/system-packages installs it)."""
    from tests.pooler.pgbouncer import pgbouncer_binary

    found = pgbouncer_binary()
    need(found is not None, "PgBouncer (apt-get install pgbouncer)")
    assert found is not None
    return found
