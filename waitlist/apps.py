from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitlistConfig(AppConfig):
    name = "waitlist"
    verbose_name = _("Waitlist")

    def ready(self) -> None:
        # Booking's news (booking.signals): a confirmed visit ends the entries it satisfies;
        # freed and taken time feeds the matching.
        from waitlist import freeing_receivers, receivers  # noqa: F401
