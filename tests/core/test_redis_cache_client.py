"""The Redis cache backend (core/redis_cache.py) is Django's with one redis client kept per
connection pool instead of one built per call. Against a real Redis: the cache calls the
service makes still work, the same client object comes back call after call (one per pool
when reads and writes go to different servers), it serves several threads at once, and
the rate limits still count and refuse."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis
from django.core.cache import cache, caches
from django.test import override_settings
from rest_framework.test import APIClient

from core.redis_cache import RedisCache, RedisCacheClient
from tests.resources import need_redis

pytestmark = pytest.mark.redis
BACKEND = "core.redis_cache.RedisCache"
OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # as config/settings.py sets them


def other_database(url: str) -> str:
    """The same server, the next database: a second 'server' for reads."""
    base, _, number = url.rpartition("/")
    return f"{base}/{(int(number or 0) + 1) % 16}" if number.isdigit() else f"{url.rstrip('/')}/1"


@pytest.fixture
def redis_cache() -> Iterator[tuple[redis.Redis, str, str]]:
    """The default cache on the Redis of REDIS_URL under a prefix of its own; its keys go after."""
    url = need_redis()
    prefix = f"acus-test-{uuid.uuid4().hex[:8]}"
    settings = {"BACKEND": BACKEND, "LOCATION": url, "KEY_PREFIX": prefix, "OPTIONS": OPTIONS}
    with override_settings(CACHES={"default": settings}):
        yield redis.Redis.from_url(url), prefix, url
    raw = redis.Redis.from_url(url)
    for key in raw.scan_iter(f"{prefix}:*"):
        raw.delete(key)


def client_of(backend: Any) -> RedisCacheClient:
    assert isinstance(backend, RedisCache)
    inner = backend._cache
    assert isinstance(inner, RedisCacheClient)
    return inner


def test_the_cache_calls_work_against_redis(redis_cache: tuple[redis.Redis, str, str]) -> None:
    raw, prefix, _ = redis_cache

    cache.set("greeting", {"words": "hola"}, timeout=60)
    assert cache.get("greeting") == {"words": "hola"}
    assert cache.add("greeting", "other") is False
    assert cache.add("count", 1) is True
    assert cache.incr("count") == 2 == cache.get("count")
    cache.set_many({"a": 1, "b": [2]}, timeout=60)
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [2]}
    assert cache.delete("a") is True and cache.get("a") is None
    assert cache.has_key("b") and not cache.has_key("a")
    assert 0 < raw.ttl(f"{prefix}:1:greeting") <= 60  # in Redis itself, under the cache's prefix


def test_every_call_gets_the_same_client(redis_cache: tuple[redis.Redis, str, str]) -> None:
    inner = client_of(caches["default"])

    first = inner.get_client()
    assert inner.get_client() is first
    assert inner.get_client("any-key", write=True) is first  # one server: reads and writes share the pool
    cache.set("x", 1)
    cache.get("x")
    assert inner.get_client() is first


def test_a_read_server_has_its_own_client_and_keeps_it(redis_cache: tuple[redis.Redis, str, str]) -> None:
    _, prefix, url = redis_cache
    servers = [url, other_database(url)]
    backend = RedisCache(";".join(servers), {"KEY_PREFIX": prefix, "OPTIONS": OPTIONS})
    inner = client_of(backend)

    writer, reader = inner.get_client(write=True), inner.get_client(write=False)

    assert writer is not reader
    assert inner.get_client(write=True) is writer and inner.get_client(write=False) is reader
    pool_of: Callable[[bool], Any] = inner._get_connection_pool  # type: ignore[attr-defined]
    assert writer.connection_pool is pool_of(True)
    assert reader.connection_pool is pool_of(False)
    assert writer.connection_pool.connection_kwargs["db"] != reader.connection_pool.connection_kwargs["db"]


def test_one_client_serves_many_threads_at_once(redis_cache: tuple[redis.Redis, str, str]) -> None:
    backend = caches["default"]  # Django gives each thread its own; here they all share this one
    backend.set("hits", 0, timeout=60)

    def hit(_: int) -> Any:
        for _ in range(25):
            backend.incr("hits")
        return client_of(backend).get_client()

    with ThreadPoolExecutor(max_workers=8) as pool:
        used = set(map(id, pool.map(hit, range(8))))

    assert backend.get("hits") == 200
    assert used == {id(client_of(backend).get_client())}


@pytest.mark.django_db
def test_the_rate_limits_still_count_and_refuse(
    redis_cache: tuple[redis.Redis, str, str], throttle_rates: Callable[..., None]
) -> None:
    raw, prefix, _ = redis_cache
    throttle_rates(slots="2/minute")

    answers = [APIClient().get("/api/v1/slots", {"appointment_type": "abc"}).status_code for _ in range(3)]

    assert answers == [400, 400, 429]
    assert raw.keys(f"{prefix}:*throttle_slots_127.0.0.1")  # the count is in Redis, for every process
