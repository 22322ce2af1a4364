"""Rate limits, shared by the API and the pages.

Each scope has one rate (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], tunable by
environment) and one bucket per caller: the API and the page that do the same thing
count together, so a patient cannot double their allowance by switching doors.

The counters live in the default cache: Redis in production, so every web process
counts together, in one atomic step per request (core.rate_log); any other cache (local
memory in development) keeps DRF's own list. A limit must not take the service down with
it: when the cache cannot be reached the request goes through and a warning is logged. Sign-in codes stay guarded
without it (one fresh code per address at a time, five wrong tries per code).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from core import rate_log
from core.addresses import client_ip

log = logging.getLogger(__name__)


class FailOpenCache:
    """The two calls DRF's throttles make, answering "no history" when the cache is down."""

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return default_cache.get(key, default)
        except Exception as exc:  # redis-py raises its own ConnectionError/TimeoutError
            log.warning("throttle: cache unreachable (%s); request let through", exc.__class__.__name__)
            return default

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        try:
            default_cache.set(key, value, timeout)
        except Exception as exc:
            log.warning("throttle: cache unreachable (%s); count not kept", exc.__class__.__name__)


class Throttle(SimpleRateThrottle):
    cache = cast(BaseCache, FailOpenCache())  # DRF's throttles call only get and set
    counted: rate_log.Counted | None = None  # set when Redis counted (else DRF's history)
    num_requests: int  # DRF sets both from the rate (parse_rate); its stubs leave them out
    duration: int

    def allow_request(self, request: Any, view: Any) -> bool:
        backend = caches["default"]
        if self.rate is None or not isinstance(backend, RedisCache):
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        try:
            self.counted = rate_log.count(backend, self.key, self.now, self.duration, self.num_requests)
        except Exception as exc:  # redis-py raises its own ConnectionError/TimeoutError
            log.warning("throttle: cache unreachable (%s); request let through", exc.__class__.__name__)
            return True
        return self.counted.allowed

    def wait(self) -> float | None:
        """DRF's answer from the Redis count: the rest of the oldest request's window, shared
        among the requests the bucket will then have room for."""
        if self.counted is None:
            return super().wait()
        count, oldest = self.counted.requests, self.counted.oldest
        remaining = self.duration - (self.now - oldest) if oldest is not None else self.duration
        available = self.num_requests - count + 1
        return remaining / available if available > 0 else None

    def get_ident(self, request: Any) -> str:
        # DRF's own reads X-Forwarded-For as the caller sent it, so a made-up header
        # would open a fresh bucket on every request.
        return client_ip(request) or ""


class ScopedThrottle(ScopedRateThrottle, Throttle):
    """The view's `throttle_scope`, per signed-in user, else per client address.

    ScopedRateThrottle comes first: its allow_request reads the view's scope and rate, then
    hands on to Throttle's (which counts in Redis)."""


class _KeyedThrottle(Throttle):
    def __init__(self, scope: str, key: str) -> None:
        self.scope = scope
        self._key = key
        super().__init__()

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self._key


def caller_bucket(request: HttpRequest, scope: str) -> str:
    """The bucket ScopedThrottle would use for this request: the user, else the address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user_bucket(user.pk, scope)
    return SimpleRateThrottle.cache_format % {"scope": scope, "ident": client_ip(request) or ""}


def user_bucket(user_id: int, scope: str) -> str:
    return SimpleRateThrottle.cache_format % {"scope": scope, "ident": user_id}


def page_limit(request: HttpRequest, scope: str, bucket: str | None = None) -> HttpResponse | None:
    """For pages: None if the request may go on (and it is counted), else a 429 page
    with Retry-After. The bucket defaults to the caller's, as the API counts them."""
    throttle = _KeyedThrottle(scope, bucket or caller_bucket(request, scope))
    # DRF's throttles read only request.META and .user, which a Django request has too.
    if throttle.allow_request(cast(Any, request), cast(Any, None)):
        return None
    wait = max(1, round(throttle.wait() or 1))
    response = render(request, "429.html", {"minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response
