"""What a message is about and how it travels. Plain enums, so the pure planner can use them."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Kind(TextChoices):
    CONFIRMATION = "confirmation", _("Booking confirmation")
    PRE_VISIT = "pre_visit", _("Before your visit")
    REMINDER = "reminder", _("Reminder")
    AFTERCARE = "aftercare", _("Aftercare")
    CHECKIN = "checkin", _("Symptom check-in")
    CANCELLATION = "cancellation", _("Cancellation notice")
    RESCHEDULE = "reschedule", _("Reschedule notice")
    REVIEW_OUTCOME = "review_outcome", _("Review outcome")
    PRACTITIONER_ALERT = "practitioner_alert", _("Red-flag alert to the practitioner")
    BOOK_NEXT = "book_next", _("Book your next session")
    EXERCISE_REMINDER = "exercise_reminder", _("Exercise reminder")
    WAITLIST_OFFER = "waitlist_offer", _("A time from the waitlist")


class Channel(TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


# About a course of care rather than one visit: the row names the plan (care.CarePlan).
ABOUT_A_COURSE = frozenset({Kind.BOOK_NEXT, Kind.EXERCISE_REMINDER})
# Sent after the visit, and only after one that happened.
AFTER_VISIT = frozenset({Kind.AFTERCARE, Kind.CHECKIN})
# About a visit still to come: pointless once it has started or is off.
BEFORE_VISIT = frozenset({Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.REMINDER, Kind.RESCHEDULE})
