"""/fhir/R4/: the FHIR scheduling endpoint (IHE ITI Scheduling, SMART Scheduling Links)."""

from django.urls import path, re_path

from interop.api import misc, operations

app_name = "fhir"

urlpatterns = [
    # The operations before any Appointment/<id> route: "$find" is not an id.
    path("Appointment/$find", operations.FindApi.as_view(), name="appointment-find"),
    path("Appointment/$hold", operations.HoldApi.as_view(), name="appointment-hold"),
    path("Appointment/$book", operations.BookApi.as_view(), name="appointment-book"),
    path("Appointment/<int:pk>", operations.AppointmentApi.as_view(), name="appointment"),
    # Anything else under /fhir/R4/ is an OperationOutcome 404, never the site's HTML page.
    re_path(r"^.*$", misc.not_found, name="not-found"),
]
