"""/fhir/R4/: the FHIR scheduling endpoint (IHE ITI Scheduling, SMART Scheduling Links)."""

from django.urls import path, re_path

from interop.api import (
    appointments,
    bulk,
    healthcare_services,
    locations,
    metadata,
    misc,
    operations,
    practitioners,
    schedules,
    slots,
)

app_name = "fhir"

urlpatterns = [
    path("metadata", metadata.Metadata.as_view(), name="metadata"),
    # SMART Scheduling Links (public): the manifest and its NDJSON files.
    path("$bulk-publish", bulk.manifest, name="bulk-publish"),
    path("$bulk-publish/<int:clinic_id>/<str:kind>.ndjson", bulk.ndjson_file, name="bulk-file"),
    path("Location", locations.LocationSearch.as_view(), name="location-search"),
    path("Location/<str:pk>", locations.LocationRead.as_view(), name="location"),
    path("Practitioner", practitioners.PractitionerSearch.as_view(), name="practitioner-search"),
    path("Practitioner/<str:pk>", practitioners.PractitionerRead.as_view(), name="practitioner"),
    path("HealthcareService", healthcare_services.HealthcareServiceSearch.as_view(), name="healthcareservice-search"),
    path("HealthcareService/<str:pk>", healthcare_services.HealthcareServiceRead.as_view(), name="healthcareservice"),
    path("Schedule", schedules.ScheduleSearch.as_view(), name="schedule-search"),
    path("Schedule/<str:pk>", schedules.ScheduleRead.as_view(), name="schedule"),
    path("Slot", slots.SlotSearch.as_view(), name="slot-search"),
    path("Slot/<str:pk>", slots.SlotRead.as_view(), name="slot"),
    # The operations before Appointment/<id>: "$find" is not an id.
    path("Appointment/$find", operations.FindApi.as_view(), name="appointment-find"),
    path("Appointment/$hold", operations.HoldApi.as_view(), name="appointment-hold"),
    path("Appointment/$book", operations.BookApi.as_view(), name="appointment-book"),
    path("Appointment", appointments.AppointmentSearch.as_view(), name="appointment-search"),
    # Read (ITI-118), and update: cancel or move by sending the visit back changed.
    path("Appointment/<str:pk>", operations.AppointmentApi.as_view(), name="appointment"),
    # Anything else under /fhir/R4/ is an OperationOutcome 404, never the site's HTML page.
    re_path(r"^.*$", misc.not_found, name="not-found"),
]
