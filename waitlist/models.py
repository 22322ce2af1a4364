"""The waitlist: patients waiting for a time, the times that free up, and the offers between them.

An Entry is one patient's wish (a treatment, a practitioner or anyone, a range of days, the days
and parts of the day that suit, the notice they need, how to reach them), ordered by when it
joined. A FreedSlot records a time a practitioner has free again and why (a cancellation, a
move, ...), and whether the waitlist filled it and when. An Offer is that time offered to one
entry through a single-use, expiring link: in sequential mode one at a time, each holding the
time for the patient alone while it runs; in broadcast mode to the first N matches at once,
first to claim wins (the appointment's exclusion constraints pick the one winner)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("Morning (before 12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00 to 17:00)")
    EVENING = "evening", _("Evening (from 17:00)")


class Reach(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Entry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        BOOKED = "booked", pgettext_lazy("waitlist entry", "Booked")
        LEFT = "left", _("Left the waitlist")
        ENDED = "ended", _("Ended")

    patient = models.ForeignKey(Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(
        AppointmentType, verbose_name=_("treatment"), on_delete=models.PROTECT, related_name="+"
    )
    # None: any practitioner who offers the treatment.
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    # ISO weekdays 0 (Monday) to 6; empty means any day. JSON, so SQLite runs it too.
    weekdays = models.JSONField(_("days of the week"), default=list, blank=True)
    parts_of_day = models.JSONField(_("parts of the day"), default=list, blank=True)
    notice_minutes = models.PositiveIntegerField(
        _("shortest notice (minutes)"), validators=[MinValueValidator(0), MaxValueValidator(7 * 24 * 60)]
    )
    reach_by = models.CharField(_("reach me by"), max_length=8, choices=Reach.choices, default=Reach.EMAIL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The visit that satisfied it, when it ended because the patient booked.
    booked = models.ForeignKey(
        Appointment, verbose_name=_("booked visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["joined_at", "pk"]
        indexes = [
            models.Index(fields=["clinic", "status", "appointment_type", "joined_at"], name="waitlist_match"),
            models.Index(fields=["patient", "status"], name="waitlist_patient"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="waitlist_range_order"),
            models.CheckConstraint(
                condition=Q(notice_minutes__gte=0, notice_minutes__lte=7 * 24 * 60), name="waitlist_notice_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"entry {self.pk} ({self.status})"


class FreedSlot(models.Model):
    class Cause(models.TextChoices):
        CANCELLED = "cancelled", _("A cancellation")
        MOVED = "moved", _("A visit moved")
        DECLINED = "declined", _("A declined review")
        HOLD_EXPIRED = "hold_expired", _("A hold that ran out")
        TIME_OFF_REMOVED = "time_off_removed", _("Time off removed")
        HOURS_CHANGED = "hours_changed", _("New working hours")
        OFFER_PASSED = "offer_passed", _("An offer that was not taken")
        STAFF = "staff", _("Offered by staff")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled from the waitlist")
        BOOKED_ELSEWHERE = "booked_elsewhere", _("Booked without the waitlist")
        UNFILLED = "unfilled", _("Not filled")

    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    # The appointment whose change freed the time, when there was one.
    source = models.ForeignKey(
        Appointment, verbose_name=_("freed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    freed_at = models.DateTimeField(_("freed at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)
    filled_by = models.ForeignKey(
        Appointment, verbose_name=_("filled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("freed time")
        verbose_name_plural = _("freed times")
        ordering = ["-freed_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "freed_at"], name="freed_slot_clinic_time")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="freed_slot_end_after_start"),
            models.CheckConstraint(
                condition=~Q(outcome="filled") | Q(filled_at__isnull=False, filled_by__isnull=False),
                name="freed_slot_filled_has_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"freed {self.start:%Y-%m-%d %H:%M} UTC ({self.outcome})"


class Offer(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", pgettext_lazy("waitlist offer", "Sent")
        CLAIMED = "claimed", _("Claimed")
        TAKEN = "taken", _("Taken by someone else")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    slot = models.ForeignKey(FreedSlot, verbose_name=_("freed time"), on_delete=models.PROTECT, related_name="offers")
    entry = models.ForeignKey(Entry, verbose_name=_("waitlist entry"), on_delete=models.PROTECT, related_name="offers")
    start = models.DateTimeField(_("start offered"))
    appointment_type = models.ForeignKey(
        AppointmentType, verbose_name=_("treatment"), on_delete=models.PROTECT, related_name="+"
    )
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.PROTECT, related_name="+"
    )
    # SHA-256 of the link's secret: the link is single-use and the secret is never stored.
    token_hash = models.CharField(_("link hash"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Sequential offers hold the time for this patient alone while the offer runs.
    hold = models.ForeignKey(
        Appointment, verbose_name=_("hold"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed = models.ForeignKey(
        Appointment, verbose_name=_("claimed visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff member who chose the patient, when one did."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("waitlist offer")
        verbose_name_plural = _("waitlist offers")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="offer_expiry")]
        constraints = [
            # One winner per freed time, whatever the race: the database refuses a second claim.
            models.UniqueConstraint(fields=["slot"], condition=Q(status="claimed"), name="offer_one_claim_per_slot"),
            models.UniqueConstraint(fields=["slot", "entry"], name="offer_once_per_entry_and_slot"),
            models.CheckConstraint(
                condition=~Q(status="claimed") | Q(claimed__isnull=False, claimed_at__isnull=False),
                name="offer_claim_has_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.status})"


class Mode(models.TextChoices):
    SEQUENTIAL = "sequential", _("One patient at a time")
    BROADCAST = "broadcast", _("Several patients at once, first to claim")


class WaitlistSettings(models.Model):
    """How a clinic offers freed time. A clinic without a row uses the defaults."""

    clinic = models.OneToOneField(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="waitlist_settings"
    )
    mode = models.CharField(_("how offers go out"), max_length=12, choices=Mode.choices, default=Mode.SEQUENTIAL)
    offer_minutes = models.PositiveSmallIntegerField(
        _("minutes an offer runs"), default=30, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    broadcast_size = models.PositiveSmallIntegerField(
        _("patients offered at once"), default=5, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )

    class Meta:
        verbose_name = _("waitlist settings")
        verbose_name_plural = _("waitlist settings")

    def __str__(self) -> str:
        return f"waitlist settings of clinic {self.clinic_id}"
