from django.apps import AppConfig
from django.core.signals import request_finished
from django.utils.translation import gettext_lazy as _

from core import metrics, request_id
from core.metrics.queues import QueueDepthCollector


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import checks  # noqa: F401  # registers the database checks

        # A request's id lasts until its response is closed, past Django's own 404/500 log line.
        request_finished.connect(request_id.clear, dispatch_uid="core.request_id.clear")
        metrics.register("celery_queue", QueueDepthCollector())
