from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Booking")

    def ready(self) -> None:
        from core import metrics

        # Every series exists from the start, so rate() and the alerts see a 0, not nothing.
        for who in ("patient", "staff", "screening"):
            metrics.CANCELLATIONS.labels(by=who)
