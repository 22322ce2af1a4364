"""The practitioner workspace under /staff/ (sign-in and /staff/ itself are in accounts.urls)."""

from django.urls import path

from workspace.views import account as views_account
from workspace.views import appointment as views_appointment
from workspace.views import calendar as views_calendar
from workspace.views import reviews as views_reviews
from workspace.views import schedule as views_schedule

app_name = "staff"

urlpatterns = [
    path("staff/today/", views_calendar.today, name="today"),
    path("staff/week/", views_calendar.week, name="week"),
    path("staff/appointments/<int:pk>/", views_appointment.detail, name="appointment"),
    path("staff/appointments/<int:pk>/arrived/", views_appointment.arrived, name="arrived"),
    path("staff/appointments/<int:pk>/completed/", views_appointment.completed, name="completed"),
    path("staff/appointments/<int:pk>/no-show/", views_appointment.no_show, name="no-show"),
    path("staff/appointments/<int:pk>/cancel/", views_appointment.cancel, name="cancel"),
    path("staff/appointments/<int:pk>/move/", views_appointment.move, name="move"),
    path("staff/appointments/<int:pk>/notes/", views_appointment.notes, name="notes"),
    path("staff/appointments/<int:pk>/review/", views_appointment.review, name="review"),
    path("staff/appointments/<int:pk>/consent/", views_appointment.consent_text, name="consent-text"),
    path("staff/reviews/", views_reviews.queue, name="reviews"),
    path("staff/schedule/", views_schedule.schedule, name="schedule"),
    path("staff/schedule/hours/", views_schedule.hours, name="hours"),
    path("staff/schedule/time-off/", views_schedule.time_off_add, name="time-off-add"),
    path("staff/schedule/time-off/<int:pk>/remove/", views_schedule.time_off_remove, name="time-off-remove"),
    path("staff/credentials/", views_account.credentials, name="credentials"),
    path("staff/feed/", views_account.feed_settings, name="feed"),
    path("staff/feed/rotate/", views_account.feed_rotate, name="feed-rotate"),
    path("staff/feed/revoke/", views_account.feed_revoke, name="feed-revoke"),
    path("staff/feed/<str:token>.ics", views_account.feed_ics, name="feed-ics"),
]
