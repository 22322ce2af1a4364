"""A Celery worker's own /metrics, for a worker that does not share PROMETHEUS_MULTIPROC_DIR
with the web (its own container): METRICS_WORKER_PORT > 0 starts prometheus-client's HTTP
server in the worker's main process (config/celery.py, on worker_init). With the prefork pool
the counting happens in the pool's children, so PROMETHEUS_MULTIPROC_DIR must be set in the
worker too (each child writes its file, the main process sums them); with the solo or threads
pool this process's own registry is enough.

The port has no token: it serves only the worker's counters (messages by channel, bookings a
task made), no scrape-time figure, and must stay inside the private network (do not publish
it). The web's /metrics still carries the outbox lag, queue depth and integrity figures."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from prometheus_client import start_http_server

from core import multiprocess
from core.metrics.scrape import counted

log = logging.getLogger(__name__)


def serve(**kwargs: Any) -> None:
    port = settings.METRICS.worker_port
    if not port:
        return
    # This worker owns its folder (its own container), so it clears what earlier runs left.
    multiprocess.remove_stale_files()
    start_http_server(port, addr="0.0.0.0", registry=counted())  # noqa: S104  # nosec B104: the container's own network; Prometheus reaches it there
    log.info("metrics: worker counters served on port %s", port)


def child_exited(**kwargs: Any) -> None:
    multiprocess.process_exited(os.getpid())
