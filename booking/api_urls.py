from django.urls import path

from booking import api

urlpatterns = [
    path("clinics", api.ClinicListApi.as_view(), name="api-clinics"),
    path("appointment-types", api.AppointmentTypeListApi.as_view(), name="api-appointment-types"),
    path("practitioners", api.PractitionerListApi.as_view(), name="api-practitioners"),
    path("slots", api.SlotListApi.as_view(), name="api-slots"),
    path("appointments", api.AppointmentListApi.as_view(), name="api-appointments"),
    path("appointments/<int:pk>", api.AppointmentDetailApi.as_view(), name="api-appointment"),
    path("appointments/<int:pk>/cancel", api.AppointmentCancelApi.as_view(), name="api-appointment-cancel"),
    path("appointments/<int:pk>/reschedule", api.AppointmentRescheduleApi.as_view(), name="api-appointment-reschedule"),
    path("appointments/<int:pk>/confirm", api.AppointmentConfirmApi.as_view(), name="api-appointment-confirm"),
    path("appointments/<int:pk>/ics", api.AppointmentCalendarApi.as_view(), name="api-appointment-ics"),
]
