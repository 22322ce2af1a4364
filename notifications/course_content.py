"""The names a course message's templates may use (book_next, exercise_reminder), besides the
visit's names when the row also names a visit (book next names the last one).

Links go to the care pages by their agreed URL names; while a page is not there yet (the parts are
built in parallel) the link is its agreed path, so the message is right once they are merged."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from booking.models.wording import in_language
from care.models import CarePlan, ExerciseReminder
from care.selectors import course_messages
from core import formats
from notifications.models import ClinicNotificationSettings, Notification
from notifications.selectors import plan_zone

# The agreed paths (shared brief, "Agreed names"), used only until the URL names exist.
PATHS = {
    "care:course": "/care/plans/{}/",
    "care:book-series": "/care/plans/{}/book/",
    "care:exercises": "/care/plans/{}/exercises/",
    "care:stop-reminder": "/care/reminders/stop/{}/",
}


def care_link(name: str, arg: object) -> str:
    """An absolute link to a care page: by its URL name, else by its agreed path."""
    try:
        path = reverse(name, args=[arg])
    except NoReverseMatch:
        path = PATHS[name].format(arg)
    return settings.SITE_URL + path


def values(notification: Notification, config: ClinicNotificationSettings) -> dict[str, Any]:
    """The plan's names; for a row without a plan (a course kind written about a visit only),
    links that still lead somewhere useful."""
    plan = notification.plan
    if plan is None:
        home = settings.SITE_URL + "/"
        return {"book_series_url": home, "exercises_url": home, "exercises": [], "sessions_left": 0}
    out = {**_plan_values(plan), **_links(plan)}
    if notification.for_day is not None:
        out["day"] = formats.full_date(notification.for_day)
        out["exercises"] = [
            in_language(row.exercise.translations, "name", row.exercise.name)
            for row in course_messages.exercises_on(plan, notification.for_day)
        ]
    return out


def _plan_values(plan: CarePlan) -> dict[str, Any]:
    clinic = plan.clinic
    return {
        "patient_name": plan.patient.display_name,
        "practitioner_name": plan.practitioner.display_name,
        "treatment": plan.appointment_type.shown_name,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "clinic_address": clinic.address,
        "zone": plan_zone(plan).key,
        "site_url": settings.SITE_URL,
        "sessions_planned": plan.sessions_planned,
        "sessions_left": course_messages.unbooked_after_last(plan),
    }


def _links(plan: CarePlan) -> dict[str, str]:
    reminder = ExerciseReminder.objects.filter(plan=plan).first()
    return {
        "course_url": care_link("care:course", plan.pk),
        "book_series_url": care_link("care:book-series", plan.pk),
        "exercises_url": care_link("care:exercises", plan.pk),
        "stop_url": care_link("care:stop-reminder", reminder.stop_token) if reminder else "",
    }
