"""The staff API under /api/v1/staff/ (OTP-verified sessions only)."""

from django.urls import path

from workspace.api import appointments, calendars, reviews

urlpatterns = [
    path("staff/appointments", appointments.StaffAppointmentListApi.as_view(), name="staff-appointments"),
    path("staff/appointments/<int:pk>", appointments.StaffAppointmentDetailApi.as_view(), name="staff-appointment"),
    path(
        "staff/appointments/<int:pk>/consent-text",
        appointments.StaffConsentTextApi.as_view(),
        name="staff-appointment-consent-text",
    ),
    path("staff/appointments/<int:pk>/arrive", appointments.StaffArriveApi.as_view(), name="staff-appointment-arrive"),
    path(
        "staff/appointments/<int:pk>/complete",
        appointments.StaffCompleteApi.as_view(),
        name="staff-appointment-complete",
    ),
    path(
        "staff/appointments/<int:pk>/no-show", appointments.StaffNoShowApi.as_view(), name="staff-appointment-no-show"
    ),
    path("staff/appointments/<int:pk>/cancel", appointments.StaffCancelApi.as_view(), name="staff-appointment-cancel"),
    path("staff/appointments/<int:pk>/move", appointments.StaffMoveApi.as_view(), name="staff-appointment-move"),
    path("staff/appointments/<int:pk>/note", appointments.StaffNoteApi.as_view(), name="staff-appointment-note"),
    path("staff/appointments/<int:pk>/review", reviews.StaffReviewApi.as_view(), name="staff-appointment-review"),
    path("staff/calendars", calendars.StaffCalendarListApi.as_view(), name="staff-calendars"),
    path("staff/calendars/<int:pk>", calendars.StaffCalendarDetailApi.as_view(), name="staff-calendar"),
    path("staff/calendars/<int:pk>/test", calendars.StaffCalendarTestApi.as_view(), name="staff-calendar-test"),
    path("staff/calendars/<int:pk>/sync", calendars.StaffCalendarSyncApi.as_view(), name="staff-calendar-sync"),
    path("staff/reviews", reviews.StaffReviewQueueApi.as_view(), name="staff-reviews"),
]
