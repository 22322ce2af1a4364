"""A clinic, its booking policy, and the treatments it offers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.validation import validate_time_zone
from booking.availability import Policy, ServiceSpec
from booking.models.wording import check_translations, in_language

TREATMENT_WORDS = ("name", "description")


def validate_zone(value: str) -> None:
    # A named function, not the import itself, because migrations refer to it by this path.
    validate_time_zone(value)


class Clinic(models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=200)
    slug = models.SlugField(verbose_name=_("slug"), unique=True)
    time_zone = models.CharField(
        verbose_name=_("time zone"),
        max_length=64,
        validators=[validate_zone],
        help_text=_("IANA zone, e.g. Europe/London"),
    )
    address = models.TextField(verbose_name=_("address"), blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=32, blank=True)
    email = models.EmailField(verbose_name=_("email"), blank=True)
    jurisdiction = models.CharField(
        verbose_name=_("jurisdiction"),
        max_length=16,
        help_text=_("Where practitioners' dry-needling credentials must be valid, e.g. GB, US-FL"),
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en-gb",
        help_text=_(
            "The clinic's own language: its documents are written in it, and patients read it where no "
            "reviewed translation exists"
        ),
    )
    country = models.CharField(
        verbose_name=_("country"),
        max_length=2,
        default="GB",
        help_text=_(
            "ISO 3166 code, e.g. GB, ES, FR, US: phone numbers typed without a country code are read as this country's"
        ),
    )
    age_of_majority = models.PositiveSmallIntegerField(
        verbose_name=_("age of majority"), default=18, validators=[MaxValueValidator(25)]
    )
    min_notice_minutes = models.PositiveIntegerField(verbose_name=_("min notice minutes"), default=120)
    max_advance_days = models.PositiveIntegerField(
        verbose_name=_("max advance days"), default=60, validators=[MinValueValidator(1)]
    )
    hold_minutes = models.PositiveIntegerField(
        verbose_name=_("hold minutes"), default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    cancellation_window_hours = models.PositiveIntegerField(verbose_name=_("cancellation window hours"), default=24)
    slot_step_minutes = models.PositiveIntegerField(
        verbose_name=_("slot step minutes"), default=15, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    consent_validity_months = models.PositiveSmallIntegerField(
        verbose_name=_("consent validity months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A signed consent covers needling visits for this long, unless withdrawn or superseded."),
    )
    retention_years = models.PositiveSmallIntegerField(
        verbose_name=_("retention years"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Keep clinical records (consents, screenings, notes) this many years after the patient's last visit."
        ),
    )
    retention_years_after_majority = models.PositiveSmallIntegerField(
        verbose_name=_("retention years after majority"),
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "For patients treated as minors: keep records at least until the age of majority plus this many "
            "years, if that is later."
        ),
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admins"),
        related_name="administered_clinics",
        blank=True,
        help_text=_("Clinic admins who run this clinic and audit its consents"),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [
            models.CheckConstraint(condition=Q(slot_step_minutes__gte=5), name="clinic_step_at_least_5_min"),
            models.CheckConstraint(condition=Q(hold_minutes__gte=1), name="clinic_hold_at_least_1_min"),
            models.CheckConstraint(condition=Q(max_advance_days__gte=1), name="clinic_advance_at_least_1_day"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def policy(self) -> Policy:
        return Policy(
            min_notice=timedelta(minutes=self.min_notice_minutes),
            max_advance=timedelta(days=self.max_advance_days),
            step=timedelta(minutes=self.slot_step_minutes),
        )

    def consent_valid_since(self, visit: datetime) -> datetime:
        """Consents signed after this instant still cover a visit at `visit`."""
        return visit - relativedelta(months=self.consent_validity_months)

    @property
    def hold_duration(self) -> timedelta:
        return timedelta(minutes=self.hold_minutes)

    @property
    def cancellation_window(self) -> timedelta:
        return timedelta(hours=self.cancellation_window_hours)


class AppointmentType(models.Model):
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="appointment_types"
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    description = models.TextField(verbose_name=_("description"), blank=True)
    duration_minutes = models.PositiveIntegerField(
        verbose_name=_("duration minutes"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    buffer_before_minutes = models.PositiveIntegerField(
        verbose_name=_("buffer before minutes"), default=0, validators=[MaxValueValidator(120)]
    )
    buffer_after_minutes = models.PositiveIntegerField(
        verbose_name=_("buffer after minutes"), default=0, validators=[MaxValueValidator(120)]
    )
    involves_needling = models.BooleanField(
        verbose_name=_("involves needling"),
        default=False,
        help_text=_("Needling needs a screening, a signed consent and a credentialled practitioner."),
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    translations = models.JSONField(
        verbose_name=_("translations"),
        default=dict,
        blank=True,
        help_text=_('The name and description in other languages, e.g. {"es": {"name": "…", "description": "…"}}'),
    )

    class Meta:
        verbose_name = _("appointment type")
        verbose_name_plural = _("appointment types")
        ordering = ["clinic", "position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="type_duration_at_least_5_min"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.duration_minutes} min)"

    def clean(self) -> None:
        try:
            check_translations(self.translations, TREATMENT_WORDS)
        except ValidationError as exc:
            raise ValidationError({"translations": exc.messages}) from exc

    @property
    def shown_name(self) -> str:
        """The name in the reader's (active) language, where the clinic gave one."""
        return in_language(self.translations, "name", self.name)

    @property
    def shown_description(self) -> str:
        return in_language(self.translations, "description", self.description)

    @property
    def service(self) -> ServiceSpec:
        return ServiceSpec(
            duration=timedelta(minutes=self.duration_minutes),
            buffer_before=timedelta(minutes=self.buffer_before_minutes),
            buffer_after=timedelta(minutes=self.buffer_after_minutes),
        )
