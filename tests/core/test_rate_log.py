"""Rate limits counted in Redis in one atomic step (core.rate_log) decide as DRF's throttles
decide from their pickled list, and never let more requests through than the limit, however
many web processes ask at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from core import rate_log
from core.throttling import Throttle
from tests.resources import need_redis

pytestmark = pytest.mark.redis

T0 = 1_800_000_000.0
# Seconds after T0: two in the same instant, a refusal, the window's exact edge (a request
# exactly one window old no longer counts, as in DRF), and a quiet spell that empties it.
STEPS = [0.0, 0.0, 10.0, 20.0, 59.999, 60.0, 60.0, 61.0, 70.0, 70.0000001, 129.999, 200.0, 200.5]


@pytest.fixture
def redis_url() -> Iterator[str]:
    yield need_redis()


def _cache_settings(url: str, prefix: str) -> dict[str, Any]:
    return {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}


class _Clock:
    now = T0


class _Tight(Throttle):
    rate = "3/minute"

    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self.timer = lambda: clock.now

    def get_cache_key(self, request: Any, view: Any) -> str:
        return "throttle_test_one"


def _decisions(clock: _Clock) -> list[tuple[bool, float | None]]:
    seen = []
    for step in STEPS:
        clock.now = T0 + step
        throttle = _Tight(clock)
        allowed = throttle.allow_request(None, None)
        wait = None if allowed else throttle.wait()
        seen.append((allowed, None if wait is None else round(wait, 6)))
    return seen


def test_redis_decides_and_answers_retry_after_as_drf_does(redis_url: str) -> None:
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        drf = _decisions(_Clock())
    prefix = f"acus-test-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES={"default": _cache_settings(redis_url, prefix)}):
        assert isinstance(caches["default"], RedisCache)
        ours = _decisions(_Clock())
    _drop(redis_url, prefix)

    assert ours == drf
    refused = {20.0: 40.0, 59.999: 0.001, 61.0: 9.0, 70.0000001: 50.0}  # step: Retry-After
    assert drf == [(step not in refused, refused.get(step)) for step in STEPS]


def _drop(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_requests_at_once_from_many_processes_never_pass_the_limit(redis_url: str) -> None:
    prefix = f"acus-test-{uuid.uuid4().hex[:8]}"
    allowed: list[bool] = []
    start = threading.Barrier(8)

    def ask() -> None:
        backend = caches["default"]
        start.wait()
        for _ in range(5):
            allowed.append(rate_log.count(backend, "throttle_race", T0, 60, 10).allowed)

    with override_settings(CACHES={"default": _cache_settings(redis_url, prefix)}):
        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    _drop(redis_url, prefix)

    assert len(allowed) == 40
    assert allowed.count(True) == 10


def test_the_log_is_a_versioned_key_that_lasts_one_window(redis_url: str) -> None:
    prefix = f"acus-test-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES={"default": _cache_settings(redis_url, prefix)}):
        counted = rate_log.count(caches["default"], "throttle_slots_7", T0, 60, 2)
    client = redis.Redis.from_url(redis_url)
    [key] = list(client.scan_iter(f"{prefix}:*"))
    ttl = client.pttl(key)
    _drop(redis_url, prefix)

    assert counted == rate_log.Counted(allowed=True, requests=1, oldest=T0)
    assert key.decode() == f"{prefix}:{rate_log.KEY_VERSION}:throttle_slots_7"
    assert 59_000 < ttl <= 60_000
