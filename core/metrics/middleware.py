"""Request rate, latency, status class and database work per route, for every request.

First in MIDDLEWARE, so its time covers every other middleware. The route label is the URL
pattern as written (`api/v1/appointments/<int:pk>`), never the path: paths carry ids and
sign-in tokens. A request no pattern matched (a 404, a static file WhiteNoise answered, a
redirect to HTTPS) is `unmatched`, and an unusual method is `other`, so a stranger sending
random paths or verbs cannot grow the number of series.

Kept cheap on purpose (bench/README.md has its cost per request): the label children are
looked up once per (method, route, status) and kept, and the database is timed by one
execute_wrapper on the request's connection rather than Django's debug cursor. That wrapper is
most of the cost: Django builds a partial and a context for every query once any wrapper is
installed (bench/README.md, "Metrics middleware")."""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from core.metrics.families import DB_QUERIES, DB_SECONDS, REQUEST_SECONDS, REQUESTS

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"


class QueryTimer:
    """An execute_wrapper that counts the queries and the time spent in them."""

    __slots__ = ("queries", "seconds")

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += perf_counter() - started
            self.queries += 1


class _Children:
    __slots__ = ("db_queries", "db_seconds", "requests", "seconds")

    def __init__(self, method: str, route: str, status: str) -> None:
        self.requests = REQUESTS.labels(method, route, status)
        self.seconds = REQUEST_SECONDS.labels(method, route)
        self.db_queries = DB_QUERIES.labels(route)
        self.db_seconds = DB_SECONDS.labels(route)


_children: dict[tuple[str, str, int], _Children] = {}


def children(method: str, route: str, status_code: int) -> _Children:
    key = (method, route, status_code // 100)
    found = _children.get(key)
    if found is None:
        found = _children[key] = _Children(method, route, f"{status_code // 100}xx")
    return found


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timer = QueryTimer()
        # What connection.execute_wrapper() does, without its generator-based context manager
        # and the `connection` proxy (each costs microseconds on every request).
        wrappers = connections[DEFAULT_DB_ALIAS].execute_wrappers
        wrappers.append(timer)
        started = perf_counter()
        try:
            response = self.get_response(request)
        finally:
            elapsed = perf_counter() - started
            wrappers.remove(timer)
        match = request.resolver_match
        route = match.route if match is not None and match.route else UNMATCHED
        method = request.method if request.method in METHODS else "other"
        found = children(method or "other", route, response.status_code)
        found.requests.inc()
        found.seconds.observe(elapsed)
        if timer.queries:
            found.db_queries.inc(timer.queries)
            found.db_seconds.inc(timer.seconds)
        return response
