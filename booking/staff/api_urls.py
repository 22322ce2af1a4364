"""The staff API (under /api/v1/). The review decision is in booking.consent_api_urls."""

from django.urls import path

from booking.staff import api

urlpatterns = [
    path("staff/appointments", api.StaffAppointmentListApi.as_view(), name="staff-appointments"),
    path("staff/appointments/<int:pk>", api.StaffAppointmentDetailApi.as_view(), name="staff-appointment"),
    path(
        "staff/appointments/<int:pk>/consent-text",
        api.StaffConsentTextApi.as_view(),
        name="staff-appointment-consent-text",
    ),
    path("staff/appointments/<int:pk>/arrive", api.StaffArriveApi.as_view(), name="staff-appointment-arrive"),
    path("staff/appointments/<int:pk>/complete", api.StaffCompleteApi.as_view(), name="staff-appointment-complete"),
    path("staff/appointments/<int:pk>/no-show", api.StaffNoShowApi.as_view(), name="staff-appointment-no-show"),
    path("staff/appointments/<int:pk>/cancel", api.StaffCancelApi.as_view(), name="staff-appointment-cancel"),
    path("staff/appointments/<int:pk>/move", api.StaffMoveApi.as_view(), name="staff-appointment-move"),
    path("staff/appointments/<int:pk>/note", api.StaffNoteApi.as_view(), name="staff-appointment-note"),
    path("staff/reviews", api.StaffReviewQueueApi.as_view(), name="staff-reviews"),
]
