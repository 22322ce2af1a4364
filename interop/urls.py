"""/fhir/R4/: the FHIR scheduling endpoint (IHE ITI Scheduling, SMART Scheduling Links)."""

from django.urls import re_path

from interop.api import misc

app_name = "fhir"

urlpatterns = [
    # Anything else under /fhir/R4/ is an OperationOutcome 404, never the site's HTML page.
    re_path(r"^.*$", misc.not_found, name="not-found"),
]
