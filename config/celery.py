from __future__ import annotations

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import (
    after_task_publish,
    before_task_publish,
    setup_logging,
    task_postrun,
    task_prerun,
    worker_init,
    worker_process_shutdown,
)
from django.conf import settings

from core import outages, request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("acus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs: object) -> None:
    # kombu's file-system transport expects its folders to exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


@setup_logging.connect
def _use_django_logging(**kwargs: Any) -> None:
    # Answering this signal stops Celery from installing its own handlers: the worker and
    # beat log through settings.LOGGING (JSON lines, the redaction filters) like the web.
    logging.config.dictConfig(settings.LOGGING)


# The request id follows a request into the tasks it causes (core/request_id.py), and a
# publish that works again ends beat's broker outage in the log (core/outages.py).
before_task_publish.connect(request_id.add_to_task_headers, weak=False)
task_prerun.connect(request_id.bind_for_task, weak=False)
task_postrun.connect(request_id.clear_after_task, weak=False)
after_task_publish.connect(outages.broker_published, weak=False)


# A worker in its own container serves its counters on METRICS_WORKER_PORT (core/metrics/worker.py).
# Imported when the signal fires, not at the top: this module loads before the settings, which
# create PROMETHEUS_MULTIPROC_DIR, and the metric families open their files there on import.
@worker_init.connect
def _serve_worker_metrics(**kwargs: Any) -> None:
    from core.metrics import worker

    worker.serve()


@worker_process_shutdown.connect
def _pool_child_exited(**kwargs: Any) -> None:
    from core.metrics import worker

    worker.child_exited()
