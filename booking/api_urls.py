from django.urls import path

from booking import appointments_api, catalogue_api

urlpatterns = [
    path("clinics", catalogue_api.ClinicListApi.as_view(), name="api-clinics"),
    path("appointment-types", catalogue_api.AppointmentTypeListApi.as_view(), name="api-appointment-types"),
    path("practitioners", catalogue_api.PractitionerListApi.as_view(), name="api-practitioners"),
    path("slots", catalogue_api.SlotListApi.as_view(), name="api-slots"),
    path("appointments", appointments_api.AppointmentListApi.as_view(), name="api-appointments"),
    path("appointments/<int:pk>", appointments_api.AppointmentDetailApi.as_view(), name="api-appointment"),
    path(
        "appointments/<int:pk>/cancel", appointments_api.AppointmentCancelApi.as_view(), name="api-appointment-cancel"
    ),
    path(
        "appointments/<int:pk>/reschedule",
        appointments_api.AppointmentRescheduleApi.as_view(),
        name="api-appointment-reschedule",
    ),
    path(
        "appointments/<int:pk>/confirm",
        appointments_api.AppointmentConfirmApi.as_view(),
        name="api-appointment-confirm",
    ),
    path("appointments/<int:pk>/ics", appointments_api.AppointmentCalendarApi.as_view(), name="api-appointment-ics"),
]
