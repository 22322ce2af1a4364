"""Outcome measures: a clinic's own instruments and every score a patient gives.

The built-in instruments (care.builtin_instruments) are code; a clinic adds one it is licensed
to use as a ClinicInstrument whose definition is the format care.instruments.instrument_from_dict
reads (items, scoring, range, direction, meaningful change with its source, licence note). Each
OutcomeScore keeps the raw answers, the score, the plan's baseline for that instrument and the
absolute and percentage change, worked out by care.scoring when it is written (FACTS.md
section 6: store the raw score, the baseline and both changes; show the source beside the flag)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment, Clinic
from care.models.plans import CarePlan


class ClinicInstrument(models.Model):
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="instruments")
    code = models.SlugField(_("code"), max_length=40)
    definition = models.JSONField(_("definition"), help_text=_("The instrument in Acus's instrument format."))
    licence_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("licence confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who confirmed the clinic is licensed to use this instrument's wording."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("clinic instrument")
        verbose_name_plural = _("clinic instruments")
        ordering = ["clinic", "code"]
        constraints = [models.UniqueConstraint(fields=["clinic", "code"], name="clinic_instrument_code_once")]

    def __str__(self) -> str:
        return f"{self.code} ({self.clinic_id})"


class Timepoint(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    VISIT = "visit", _("Visit")
    CHECKIN = "checkin", _("Check-in")
    DISCHARGE = "discharge", _("Discharge")


class OutcomeScore(models.Model):
    plan = models.ForeignKey(CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="scores")
    instrument = models.SlugField(_("instrument"), max_length=40)
    timepoint = models.CharField(_("when"), max_length=12, choices=Timepoint.choices)
    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("answers"), help_text=_("The raw answers, item by item."))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    # The plan's first score for this instrument; equal to score on the baseline row itself.
    baseline = models.DecimalField(_("baseline"), max_digits=6, decimal_places=2)
    change = models.DecimalField(_("change"), max_digits=6, decimal_places=2, help_text=_("Improvement in points."))
    change_percent = models.DecimalField(
        _("change (%)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("None when the baseline is 0."),
    )
    meaningful = models.BooleanField(_("meaningful change"), default=False)
    threshold = models.CharField(_("threshold"), max_length=40, blank=True, default="")
    threshold_source = models.CharField(_("threshold source"), max_length=300, blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("outcome score")
        verbose_name_plural = _("outcome scores")
        ordering = ["plan", "instrument", "answered_at", "pk"]
        indexes = [models.Index(fields=["plan", "instrument", "answered_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "instrument"], condition=Q(timepoint="baseline"), name="outcome_one_baseline"
            ),
            models.UniqueConstraint(
                fields=["plan", "instrument"], condition=Q(timepoint="discharge"), name="outcome_one_discharge"
            ),
            models.UniqueConstraint(
                fields=["plan", "instrument", "appointment"],
                condition=Q(appointment__isnull=False),
                name="outcome_once_per_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.score} ({self.timepoint})"
