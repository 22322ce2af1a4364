from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendar sync")

    def ready(self) -> None:
        # Busy time read from practitioners' own calendars blocks slots like time off
        # (booking.blockers); booking's news queues the visits' copies (calendars.receivers).
        from booking import blockers
        from calendars import checks, receivers, selectors  # noqa: F401

        blockers.register(selectors.busy_for)
