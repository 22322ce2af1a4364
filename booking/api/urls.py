"""The patient's API under /api/v1/ (the staff API is in workspace.api.urls, the check-in in
care.api.urls)."""

from django.urls import path

from booking.api import appointments, catalogue, consents

urlpatterns = [
    path("clinics", catalogue.ClinicListApi.as_view(), name="api-clinics"),
    path("appointment-types", catalogue.AppointmentTypeListApi.as_view(), name="api-appointment-types"),
    path("practitioners", catalogue.PractitionerListApi.as_view(), name="api-practitioners"),
    path("slots", catalogue.SlotListApi.as_view(), name="api-slots"),
    path("appointments", appointments.AppointmentListApi.as_view(), name="api-appointments"),
    path("appointments/<int:pk>", appointments.AppointmentDetailApi.as_view(), name="api-appointment"),
    path("appointments/<int:pk>/cancel", appointments.AppointmentCancelApi.as_view(), name="api-appointment-cancel"),
    path(
        "appointments/<int:pk>/reschedule",
        appointments.AppointmentRescheduleApi.as_view(),
        name="api-appointment-reschedule",
    ),
    path("appointments/<int:pk>/confirm", appointments.AppointmentConfirmApi.as_view(), name="api-appointment-confirm"),
    path("appointments/<int:pk>/ics", appointments.AppointmentCalendarApi.as_view(), name="api-appointment-ics"),
    path("consent/form", consents.ConsentFormApi.as_view(), name="consent-form"),
    path("consent/questionnaire", consents.QuestionnaireApi.as_view(), name="consent-questionnaire"),
    path("screenings", consents.ScreeningCreateApi.as_view(), name="screenings"),
    path("consents", consents.ConsentListApi.as_view(), name="consents"),
    path("consents/<int:pk>", consents.ConsentDetailApi.as_view(), name="consent-detail"),
    path("consents/<int:pk>/pdf", consents.ConsentPdfApi.as_view(), name="consent-pdf"),
    path("consents/<int:pk>/withdraw", consents.ConsentWithdrawApi.as_view(), name="consent-withdraw"),
]
