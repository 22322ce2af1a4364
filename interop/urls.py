"""/fhir/R4/: the FHIR scheduling endpoint (IHE ITI Scheduling, SMART Scheduling Links)."""

from django.urls import path, re_path

from interop.api import bulk, misc

app_name = "fhir"

urlpatterns = [
    # SMART Scheduling Links (public): the manifest and its NDJSON files.
    path("$bulk-publish", bulk.manifest, name="bulk-publish"),
    path("$bulk-publish/<int:clinic_id>/<str:kind>.ndjson", bulk.ndjson_file, name="bulk-file"),
    # Anything else under /fhir/R4/ is an OperationOutcome 404, never the site's HTML page.
    re_path(r"^.*$", misc.not_found, name="not-found"),
]
