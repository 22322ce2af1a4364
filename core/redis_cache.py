"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` around the pool on every cache call;
redis-py's constructor does enough work (options, callbacks, encoders) that it cost more CPU
than the round trip it wraps: two of them per throttled request were ~0.2 ms (bench/README,
"Issue 22"). A redis.Redis is safe to share between threads (each command takes a
connection from the pool), so one per pool is kept instead. Everything else is Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # Django's private helpers, which django-stubs does not list
        pool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = django_client._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
