"""Practitioners: their credentials, weekly hours and time off, and the
admins' notices that a credential is about to expire."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models.clinics import AppointmentType, Clinic
from booking.models.wording import check_translations, in_language


class Practitioner(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="practitioner"
    )
    display_name = models.CharField(verbose_name=_("display name"), max_length=120)
    bio = models.TextField(verbose_name=_("bio"), blank=True)
    clinics = models.ManyToManyField(Clinic, verbose_name=_("clinics"), related_name="practitioners")
    appointment_types = models.ManyToManyField(
        AppointmentType, verbose_name=_("appointment types"), related_name="practitioners", blank=True
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    translations = models.JSONField(
        verbose_name=_("translations"),
        default=dict,
        blank=True,
        help_text=_('The bio in other languages, e.g. {"es": {"bio": "…"}, "fr": {"bio": "…"}}'),
    )
    # The secret calendar-feed address is shown once; only its sha256 is kept, so
    # a copy of the database does not hand out working feed URLs.
    feed_token_hash = models.CharField(
        verbose_name=_("feed token hash"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    feed_token_created_at = models.DateTimeField(
        verbose_name=_("feed token created at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        try:
            check_translations(self.translations, ("bio",))
        except ValidationError as exc:
            raise ValidationError({"translations": exc.messages}) from exc

    @property
    def shown_bio(self) -> str:
        """The bio in the reader's (active) language, where the practitioner gave one."""
        return in_language(self.translations, "bio", self.bio)


class Credential(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence to practise")
        DRY_NEEDLING = "dry_needling", _("Dry-needling certification")
        REGISTRATION = "registration", _("Registration")

    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.PROTECT, related_name="credentials"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices)
    jurisdiction = models.CharField(verbose_name=_("jurisdiction"), max_length=16)
    number = models.CharField(verbose_name=_("number"), max_length=64)
    issuer = models.CharField(verbose_name=_("issuer"), max_length=200)
    training_hours = models.PositiveIntegerField(
        verbose_name=_("training hours"), null=True, blank=True, help_text=_("Total hours of training")
    )
    in_person_hours = models.PositiveIntegerField(
        verbose_name=_("in person hours"), null=True, blank=True, help_text=_("Hours of face-to-face training")
    )
    supervised_sessions = models.PositiveIntegerField(verbose_name=_("supervised sessions"), null=True, blank=True)
    valid_from = models.DateField(verbose_name=_("valid from"))
    valid_until = models.DateField(
        verbose_name=_("valid until"), null=True, blank=True, help_text=_("Blank if it does not expire")
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(verbose_name=_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
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

    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.CASCADE, related_name="working_hours"
    )
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        verbose_name=_("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    start = models.TimeField(verbose_name=_("start"))
    end = models.TimeField(verbose_name=_("end"))

    class Meta:
        verbose_name = _("working hours")
        ordering = ["practitioner", "weekday", "start"]
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="hours_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.CASCADE, related_name="time_off"
    )
    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    reason = models.CharField(verbose_name=_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time off")
        ordering = ["practitioner", "start"]
        verbose_name_plural = _("time off")
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
    claimed_at = models.DateTimeField(null=True, blank=True, help_text=_("A worker is sending it (a lease)"))
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("credential expiry notice")
        verbose_name_plural = _("credential expiry notices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "valid_until"], name="one_expiry_notice_per_date"),
        ]

    def __str__(self) -> str:
        return f"Expiry notice for credential {self.credential_id} ({self.valid_until})"
