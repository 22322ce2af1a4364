"""Celery queue depth at scrape time: LLEN of each queue's list in Redis (one round trip for
all of them). Without Redis (kombu's file-system broker in make run) there is no series;
when Redis does not answer within a second the series is missing from that scrape."""

from __future__ import annotations

from collections.abc import Iterator

import redis
from django.conf import settings
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

TIMEOUT_SECONDS = 1.0


def queue_names() -> list[str]:
    return [getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")]


class QueueDepthCollector:
    def __init__(self) -> None:
        self._client: redis.Redis | None = None
        self._url = ""

    def client(self) -> redis.Redis | None:
        url: str = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://")):
            return None
        if self._client is None or self._url != url:
            self._url = url
            self._client = redis.Redis.from_url(
                url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
            )
        return self._client

    def collect(self) -> Iterator[Metric]:
        client = self.client()
        if client is None:
            return
        names = queue_names()
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.llen(name)
        depths = pipe.execute()
        family = GaugeMetricFamily("acus_celery_queue_depth", "Tasks waiting in the Celery queue", labels=["queue"])
        for name, depth in zip(names, depths, strict=True):
            family.add_metric([name], float(depth))
        yield family
