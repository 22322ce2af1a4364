from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    # Not "fhir": that is the fhir.resources package's own top-level name.
    name = "interop"
    verbose_name = _("Scheduling interoperability (FHIR)")

    def ready(self) -> None:
        from interop import receivers  # noqa: F401  (connects the publishing receivers)
