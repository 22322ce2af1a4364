"""The practitioner workspace under /staff/ (sign-in and /staff/ itself are in accounts.urls)."""

from django.urls import path

from workspace.views import (
    appointment,
    calendar,
    credentials,
    feed,
    plan_book,
    plan_discharge,
    plan_exercises,
    plans,
    plans_course,
    reviews,
    schedule,
    waitlist,
)

app_name = "staff"

urlpatterns = [
    path("staff/today/", calendar.today, name="today"),
    path("staff/week/", calendar.week, name="week"),
    path("staff/appointments/<int:pk>/", appointment.detail, name="appointment"),
    path("staff/appointments/<int:pk>/arrived/", appointment.arrived, name="arrived"),
    path("staff/appointments/<int:pk>/completed/", appointment.completed, name="completed"),
    path("staff/appointments/<int:pk>/no-show/", appointment.no_show, name="no-show"),
    path("staff/appointments/<int:pk>/cancel/", appointment.cancel, name="cancel"),
    path("staff/appointments/<int:pk>/move/", appointment.move, name="move"),
    path("staff/appointments/<int:pk>/notes/", appointment.notes, name="notes"),
    path("staff/appointments/<int:pk>/review/", appointment.review, name="review"),
    path("staff/appointments/<int:pk>/consent/", appointment.consent_text, name="consent-text"),
    path("staff/plans/<int:pk>/", plans_course.plan, name="plan"),
    path("staff/plans/<int:pk>/book/", plan_book.book, name="plan-book"),
    path("staff/plans/<int:pk>/exercises/", plan_exercises.exercises, name="plan-exercises"),
    path("staff/plans/<int:pk>/exercises/<int:pid>/dose/", plan_exercises.change_dose, name="plan-exercise-dose"),
    path("staff/plans/<int:pk>/exercises/<int:pid>/stop/", plan_exercises.stop, name="plan-exercise-stop"),
    path("staff/plans/<int:pk>/discharge/", plan_discharge.discharge, name="plan-discharge"),
    path("staff/plans/<int:pk>/discharge.pdf", plan_discharge.discharge_pdf, name="plan-discharge-pdf"),
    path("staff/reviews/", reviews.queue, name="reviews"),
    path("staff/plans/", plans.plan_list, name="plans"),
    path("staff/plans/new/", plans.plan_new, name="plan-new"),
    path("staff/plans/<int:pk>/status/", plans.plan_status_change, name="plan-status"),
    path("staff/schedule/", schedule.schedule, name="schedule"),
    path("staff/schedule/hours/", schedule.hours, name="hours"),
    path("staff/schedule/time-off/", schedule.time_off_add, name="time-off-add"),
    path("staff/schedule/time-off/<int:pk>/remove/", schedule.time_off_remove, name="time-off-remove"),
    path("staff/waitlist/", waitlist.board, name="waitlist"),
    path("staff/waitlist/offer/", waitlist.offer, name="waitlist-offer"),
    path("staff/waitlist/offers/", waitlist.offers, name="waitlist-offers"),
    path("staff/waitlist/stats/", waitlist.stats, name="waitlist-stats"),
    path("staff/credentials/", credentials.credentials, name="credentials"),
    path("staff/feed/", feed.feed_settings, name="feed"),
    path("staff/feed/rotate/", feed.feed_rotate, name="feed-rotate"),
    path("staff/feed/revoke/", feed.feed_revoke, name="feed-revoke"),
    path("staff/feed/<str:token>.ics", feed.feed_ics, name="feed-ics"),
]
