"""Booking's append-only audit rows: what happened to an appointment or to a
practitioner's schedule, who did it and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models.appointments import Appointment
from booking.models.practitioners import Practitioner


class AuditEvent(models.Model):
    """Common shape of booking's append-only audit rows: what, who, when, details.
    Subclasses add the subject (an appointment, a practitioner) and their Action enum."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now)
    data = models.JSONField(verbose_name=_("data"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {getattr(self, 'action', '')}"


class AppointmentEvent(AuditEvent):
    """Append-only audit of everything that happens to an appointment."""

    class Action(models.TextChoices):
        HELD = "held"
        CONFIRMED = "confirmed"
        SENT_FOR_REVIEW = "sent_for_review"
        DECLINED = "declined"
        CANCELLED = "cancelled"
        HOLD_EXPIRED = "hold_expired"
        CONSENT_LINKED = "consent_linked"
        CONSENT_ENDED = "consent_ended"
        RESCHEDULED = "rescheduled"
        COMPLETED = "completed"
        NO_SHOW = "no_show"
        ARRIVED = "arrived"
        NOTE_RECORDED = "note_recorded"

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(verbose_name=_("action"), max_length=30, choices=Action.choices)

    class Meta:
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")


class PractitionerEvent(AuditEvent):
    """Append-only audit of changes to a practitioner's schedule and calendar feed."""

    class Action(models.TextChoices):
        HOURS_CHANGED = "hours_changed"
        TIME_OFF_ADDED = "time_off_added"
        TIME_OFF_REMOVED = "time_off_removed"
        FEED_ROTATED = "feed_rotated"
        FEED_REVOKED = "feed_revoked"
        CREDENTIAL_EXPIRY_NOTICE = "credential_expiry_notice"

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("practitioner event")
        verbose_name_plural = _("practitioner events")
