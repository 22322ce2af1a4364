from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitlistConfig(AppConfig):
    name = "waitlist"
    verbose_name = _("Waitlist")

    def ready(self) -> None:
        # Booking's news about freed and taken time (booking.signals).
        from waitlist import freeing_receivers  # noqa: F401
