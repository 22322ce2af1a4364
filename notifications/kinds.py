"""What a message is about and how it travels. Plain enums, so the pure planner can use them."""

from __future__ import annotations

from django.db.models import TextChoices


class Kind(TextChoices):
    CONFIRMATION = "confirmation", "Booking confirmation"
    PRE_VISIT = "pre_visit", "Before your visit"
    REMINDER = "reminder", "Reminder"
    AFTERCARE = "aftercare", "Aftercare"
    CHECKIN = "checkin", "Symptom check-in"
    CANCELLATION = "cancellation", "Cancellation notice"
    RESCHEDULE = "reschedule", "Reschedule notice"
    REVIEW_OUTCOME = "review_outcome", "Review outcome"
    PRACTITIONER_ALERT = "practitioner_alert", "Red-flag alert to the practitioner"


class Channel(TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


# Sent after the visit, and only after one that happened.
AFTER_VISIT = frozenset({Kind.AFTERCARE, Kind.CHECKIN})
# About a visit still to come: pointless once it has started or is off.
BEFORE_VISIT = frozenset({Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.REMINDER, Kind.RESCHEDULE})
