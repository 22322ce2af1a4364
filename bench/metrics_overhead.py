"""What core.metrics.middleware.MetricsMiddleware costs per request.

    .venv/bin/python -m bench.metrics_overhead                     # this process's registry
    PROMETHEUS_MULTIPROC_DIR=$(mktemp -d) .venv/bin/python -m bench.metrics_overhead   # gunicorn's mode

A resolved request (a real route's ResolverMatch) goes through a view that answers at once,
then one that makes QUERIES `SELECT 1` queries on the database (DATABASE_URL, else SQLite: its
queries cost CPU only, so the wrapper's share is not lost in network round trips),
N times each, with and without the middleware in front; the difference per request is its
cost. Rounds alternate and the best of ROUNDS is kept, so other work on the machine inflates
both sides alike. With the middleware the whole request (status label lookup, latency
histogram, database counters, the execute_wrapper around each query) is what is measured."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402

from core.metrics.middleware import MetricsMiddleware, QueryTimer  # noqa: E402

View = Callable[[HttpRequest], HttpResponse]


def quiet(request: HttpRequest) -> HttpResponse:
    request.resolver_match = MATCH
    return HttpResponse(b"ok")


def querying(queries: int) -> View:
    def view(request: HttpRequest) -> HttpResponse:
        request.resolver_match = MATCH
        with connection.cursor() as cursor:
            for _ in range(queries):
                cursor.execute("SELECT 1")
                cursor.fetchone()
        return HttpResponse(b"ok")

    return view


MATCH = resolve("/api/v1/appointments/1")


def per_request(handler: View, request: HttpRequest, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        handler(request)
    return (time.perf_counter() - started) / n * 1e6


def compare(view: View, n: int, rounds: int) -> tuple[float, float]:
    request = RequestFactory().get("/api/v1/appointments/1")
    wrapped = MetricsMiddleware(view)
    per_request(wrapped, request, 1000)  # warm: label children, connection
    bare, with_metrics = [], []
    for _ in range(rounds):
        bare.append(per_request(view, request, n))
        with_metrics.append(per_request(wrapped, request, n))
    return min(bare), min(with_metrics)


def per_query(n: int, rounds: int) -> tuple[float, float]:
    """One `SELECT 1` on an open cursor, without and with the middleware's QueryTimer installed."""
    wrappers = connection.execute_wrappers
    bare, wrapped = [], []
    with connection.cursor() as cursor:
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(n):
                cursor.execute("SELECT 1")
            bare.append((time.perf_counter() - started) / n * 1e6)
            wrappers.append(QueryTimer())
            started = time.perf_counter()
            for _ in range(n):
                cursor.execute("SELECT 1")
            wrapped.append((time.perf_counter() - started) / n * 1e6)
            wrappers.pop()
    return min(bare), min(wrapped)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=8)
    args = parser.parse_args()
    mode = "multiprocess" if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else "single process"
    print(f"mode: {mode}; database: {connection.vendor}; {args.n} requests x {args.rounds} rounds, best round")
    extras = []
    for name, view, n in (
        ("no queries", quiet, args.n),
        (f"{args.queries} queries", querying(args.queries), max(1, args.n // 10)),
    ):
        bare, measured = compare(view, n, args.rounds)
        extras.append(measured - bare)
        print(f"{name:>12}: {bare:8.1f} us bare, {measured:8.1f} us with metrics: +{extras[-1]:.1f} us per request")
    print(f"per query, from the two lines above: +{(extras[1] - extras[0]) / args.queries:.1f} us")
    bare_query, wrapped_query = per_query(args.n, args.rounds)
    extra_query = wrapped_query - bare_query
    print(f"per query, measured alone: {bare_query:.1f} us bare, {wrapped_query:.1f} us wrapped: +{extra_query:.1f} us")


if __name__ == "__main__":
    main()
