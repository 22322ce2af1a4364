"""What a scrape of /metrics returns: the counted families plus the apps' scrape-time figures.

Counted families live in this process (make run, tests) or, when PROMETHEUS_MULTIPROC_DIR is
set, in one file per process that MultiProcessCollector sums (gunicorn's workers, and a
Celery worker on the same host). Scrape-time figures are read once per scrape by collectors
that each app registers from its AppConfig.ready (notifications: outbox lag; consent: the
integrity check; core: Celery queue depth), so core imports nothing above it. A collector
that fails (the database or Redis is down) is left out of that scrape and logged once per
outage, so the rest still arrives and the missing series are what an alert sees."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Protocol

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from core import outages

log = logging.getLogger(__name__)


class Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


_collectors: dict[str, Collector] = {}


def register(name: str, collector: Collector) -> None:
    """Add a scrape-time collector; `name` keeps it once however often ready() runs."""
    _collectors[name] = collector


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def counted() -> Collector:
    """The counted families: summed over every process's files, or this process's registry."""
    folder = multiprocess_dir()
    if not folder:
        return REGISTRY
    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=folder)
    return registry


class _Scrape:
    def __init__(self, base: Collector, extra: dict[str, Collector]) -> None:
        self.base, self.extra = base, extra

    def collect(self) -> Iterator[Metric]:
        yield from self.base.collect()
        for name, collector in self.extra.items():
            try:
                metrics = list(collector.collect())
            except Exception as exc:  # the rest of the scrape must still arrive
                outages.note(f"metrics collector {name}", type(exc).__name__)
                continue
            outages.note(f"metrics collector {name}", None)
            yield from metrics


def render(*, with_collectors: bool = True) -> bytes:
    """The Prometheus text exposition of one scrape."""
    return generate_latest(_Scrape(counted(), dict(_collectors) if with_collectors else {}))
