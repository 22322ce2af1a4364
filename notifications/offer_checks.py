"""The send-time re-check of a waitlist offer's message (waitlist.services.offers writes the rows).

The offer must still be open and not expired, and the slot still far enough ahead for the
patient's notice. A text message in the quiet hours waits for their end, but only if the offer is
still running then; otherwise it is skipped (an offer that has ended is noise). Sending marks the
offer sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from notifications import planner
from notifications.kinds import Channel
from notifications.models import ClinicNotificationSettings, Notification
from notifications.selectors import offer_zone
from notifications.verdicts import Verdict
from waitlist.models import Entry, Offer

Status = Notification.Status
OPEN = (Offer.Status.QUEUED, Offer.Status.SENT)


def recheck(row: Notification, config: ClinicNotificationSettings, now: datetime) -> Verdict | None:
    """Why this offer row must not be sent now, or None to send it."""
    offer = row.offer
    if offer is None:
        return Verdict(Status.SKIPPED, "not about a waitlist offer")
    offer.refresh_from_db(fields=["status", "expires_at"])
    offer.entry.refresh_from_db(fields=["status", "notice_minutes"])
    patient = offer.entry.patient
    if not patient.user.is_active:
        return Verdict(Status.SKIPPED, "the patient's account is closed")
    if offer.entry.status != Entry.Status.WAITING:
        return Verdict(Status.SKIPPED, f"the waitlist entry is {offer.entry.status}")
    if offer.status not in OPEN:
        return Verdict(Status.SKIPPED, f"the offer is {offer.status}")
    if offer.expires_at <= now:
        return Verdict(Status.SKIPPED, "the offer has expired")
    if offer.start - now < timedelta(minutes=offer.entry.notice_minutes):
        return Verdict(Status.SKIPPED, "too soon for the patient's notice")
    if row.channel != Channel.SMS:
        return None
    if not patient.phone:
        return Verdict(Status.SKIPPED, "no phone number for a text message")
    allowed = planner.next_allowed_time(now, offer_zone(offer), config.quiet_start, config.quiet_end)
    if allowed >= offer.expires_at:
        return Verdict(Status.SKIPPED, "quiet hours last until the offer ends")
    if allowed > now:
        return Verdict(Status.PENDING, "quiet hours", wait_until=allowed)
    return None


def mark_sent(row: Notification, now: datetime) -> None:
    """The offer went out: sent (the first message sets the time), and the link's secret is
    dropped from the outbox row, which no longer needs it."""
    if row.offer_id is None:
        return
    Offer.objects.filter(pk=row.offer_id, status=Offer.Status.QUEUED).update(status=Offer.Status.SENT, sent_at=now)
    Notification.objects.filter(pk=row.pk).update(context={})
