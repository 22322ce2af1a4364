"""Appointments. Every instant is stored in UTC, with the clinic's zone when booked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Patient
from booking.models.clinics import AppointmentType, Clinic
from booking.models.practitioners import Practitioner
from consent.models import ScreeningResponse, SignedConsent


class Appointment(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        PENDING_REVIEW = "pending_review", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")

    # Statuses that occupy the practitioner's time. The database's exclusion
    # constraints (migration 0002, PostgreSQL) use exactly this list.
    LIVE = (Status.HELD, Status.PENDING_REVIEW, Status.CONFIRMED)

    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="appointments"
    )
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.PROTECT, related_name="appointments"
    )
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, verbose_name=_("appointment type"), on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    # start - buffer before and end + buffer after, stored: an exclusion
    # constraint needs an immutable expression, and timestamptz - interval is not.
    blocked_start = models.DateTimeField(verbose_name=_("blocked start"))
    blocked_end = models.DateTimeField(verbose_name=_("blocked end"))
    status = models.CharField(verbose_name=_("status"), max_length=20, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(verbose_name=_("hold expires at"), null=True, blank=True)
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1)
    time_zone = models.CharField(
        verbose_name=_("time zone"), max_length=64, help_text=_("The clinic's zone when booked")
    )
    # NULL, not "", means "no key", so the partial unique constraint ignores it.
    idempotency_key = models.CharField(verbose_name=_("idempotency key"), max_length=128, null=True, blank=True)  # noqa: DJ001
    # For needling: the screening answered for this visit and the consent that covers it.
    screening = models.ForeignKey(
        ScreeningResponse,
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent = models.ForeignKey(
        SignedConsent,
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    cancel_reason = models.CharField(verbose_name=_("cancel reason"), max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(verbose_name=_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["practitioner", "blocked_start"], name="appt_practitioner_start"),
            models.Index(fields=["patient", "start"], name="appt_patient_start"),
            models.Index(fields=["status", "hold_expires_at"], name="appt_status_hold"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="appt_end_after_start"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=models.F("start")) & Q(blocked_end__gte=models.F("end")),
                name="appt_blocked_covers_visit",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False), name="appt_hold_has_expiry"
            ),
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="appt_idempotency_key_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type.name} {self.start:%Y-%m-%d %H:%M} UTC ({self.status})"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE
