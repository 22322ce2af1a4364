"""News from booking for the apps above it (notifications). Sent by booking's
services *inside* their transaction, so a receiver that writes rows (the
notification outbox) commits or rolls back together with the booking change.
Receivers must not do I/O: they write rows, and side effects follow after commit."""

from __future__ import annotations

from django.db.models import TextChoices
from django.dispatch import Signal


class Change(TextChoices):
    CONFIRMED = "confirmed"  # held or approved -> confirmed
    SENT_FOR_REVIEW = "sent_for_review"  # held -> pending_review
    APPROVED = "approved"  # pending_review -> confirmed by a practitioner
    DECLINED = "declined"  # pending_review -> declined by a practitioner
    CANCELLED = "cancelled"  # by the patient or staff (not hold expiry)
    RESCHEDULED = "rescheduled"  # new time and/or practitioner; version bumped
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    RED_FLAG = "red_flag"  # a symptom check-in reported a red flag
    CONSENT_ENDED = "consent_ended"  # the consent covering a confirmed visit was withdrawn: back to review


# kwargs: appointment (booking.models.Appointment, fresh from the database),
#         change (Change), actor (accounts.models.User | None)
appointment_changed = Signal()


class FreeCause(TextChoices):
    """Why a practitioner's time is free again (waitlist.models.FreedSlot.Cause uses the same values)."""

    CANCELLED = "cancelled"  # cancelled by the patient or staff, or as unsafe after a screening
    MOVED = "moved"  # the time a visit moved away from
    DECLINED = "declined"  # a review declined
    HOLD_EXPIRED = "hold_expired"  # a hold that ran out (release_expired_holds)


# Time an appointment occupied is free again. Sent inside the booking transaction, once per
# appointment, for every booking change that frees time (one per expired hold, too).
# kwargs: practitioner_id (int), clinic_id (int), start, end (aware UTC datetimes: the blocked
#         span, buffers included, before the change), cause (FreeCause), source (the
#         appointment's id: int)
time_freed = Signal()
