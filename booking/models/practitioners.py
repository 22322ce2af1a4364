"""Practitioners: their credentials, weekly hours and time off, and the
admins' notices that a credential is about to expire."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from booking.models.clinics import AppointmentType, Clinic


class Practitioner(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner")
    display_name = models.CharField(max_length=120)
    bio = models.TextField(blank=True)
    clinics = models.ManyToManyField(Clinic, related_name="practitioners")
    appointment_types = models.ManyToManyField(AppointmentType, related_name="practitioners", blank=True)
    active = models.BooleanField(default=True)
    # The secret calendar-feed address is shown once; only its sha256 is kept, so
    # a copy of the database does not hand out working feed URLs.
    feed_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    feed_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class Credential(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence to practise"
        DRY_NEEDLING = "dry_needling", "Dry-needling certification"
        REGISTRATION = "registration", "Registration"

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.CharField(max_length=16)
    number = models.CharField(max_length=64)
    issuer = models.CharField(max_length=200)
    training_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Total hours of training")
    in_person_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Hours of face-to-face training")
    supervised_sessions = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Blank if it does not expire")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["practitioner", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="credential_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False),
                name="credential_verified_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.jurisdiction})"

    def covers(self, day: date, jurisdiction: str) -> bool:
        """Is this a verified dry-needling credential valid there on that day?"""
        return (
            self.kind == self.Kind.DRY_NEEDLING
            and self.verified_at is not None
            and self.jurisdiction == jurisdiction
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class WorkingHours(models.Model):
    """A weekly rule: on this weekday, from start to end local time. Several a day make breaks."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ]
    )
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="hours_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["practitioner", "start"]
        verbose_name_plural = "time off"
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="time_off_end_after_start")]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"


class CredentialExpiryNotice(models.Model):
    """The clinic admins' email that a dry-needling credential is about to expire.

    One row per credential and expiry date: the daily check sends each at most
    once, and a renewal with a new date is warned about again when its time comes."""

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="expiry_notices")
    valid_until = models.DateField()
    recipients = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="A worker is sending it (a lease)")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "valid_until"], name="one_expiry_notice_per_date"),
        ]

    def __str__(self) -> str:
        return f"Expiry notice for credential {self.credential_id} ({self.valid_until})"
