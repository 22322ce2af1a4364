from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications import metrics, receivers  # noqa: F401 - connects the booking signal receiver

        metrics.register()  # the outbox lag at scrape time (core.metrics)
