from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Screening and consent")

    def ready(self) -> None:
        from consent import metrics

        metrics.register()  # the integrity check's verdict at scrape time (core.metrics)
