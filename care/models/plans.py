"""A plan of care and its status history.

A plan is one course of care for one patient with one practitioner at one clinic; a patient
may have several. Its status changes only through care.services.plans, which writes a
CarePlanStatusChange row (append-only: a trigger refuses UPDATE, DELETE and TRUNCATE)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner

SESSIONS = (1, 20)
SPACING_DAYS = (1, 60)


class BodyRegion(models.TextChoices):
    NECK = "neck", _("Neck")
    UPPER_BACK = "upper_back", _("Upper back")
    LOWER_BACK = "lower_back", _("Lower back")
    SHOULDER = "shoulder", _("Shoulder")
    ELBOW = "elbow", _("Elbow")
    WRIST_AND_HAND = "wrist_and_hand", _("Wrist and hand")
    HIP = "hip", _("Hip")
    KNEE = "knee", _("Knee")
    ANKLE_AND_FOOT = "ankle_and_foot", _("Ankle and foot")
    HEAD_AND_JAW = "head_and_jaw", _("Head and jaw")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", pgettext_lazy("care plan status", "Completed")
    STOPPED = "stopped", _("Stopped")


class CarePlan(models.Model):
    patient = models.ForeignKey(Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="care_plans")
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.PROTECT, related_name="care_plans"
    )
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="care_plans")
    appointment_type = models.ForeignKey(
        AppointmentType,
        verbose_name=_("treatment"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The treatment booked for the course's visits."),
    )
    problem = models.TextField(_("problem"), max_length=2000)
    body_region = models.CharField(_("body region"), max_length=20, choices=BodyRegion.choices)
    goals = models.JSONField(
        _("goals"), default=list, help_text=_("Activities the patient wants to do again, in their own words.")
    )
    sessions_planned = models.PositiveSmallIntegerField(
        _("sessions planned"), validators=[MinValueValidator(SESSIONS[0]), MaxValueValidator(SESSIONS[1])]
    )
    spacing_days = models.PositiveSmallIntegerField(
        _("days between sessions"), validators=[MinValueValidator(SPACING_DAYS[0]), MaxValueValidator(SPACING_DAYS[1])]
    )
    measures = models.JSONField(_("outcome measures"), default=list)
    review_on = models.DateField(pgettext_lazy("care plan", "review date"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PROPOSED)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan of care")
        verbose_name_plural = _("plans of care")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_planned__gte=SESSIONS[0], sessions_planned__lte=SESSIONS[1]),
                name="care_plan_sessions_in_range",
            ),
            models.CheckConstraint(
                condition=Q(spacing_days__gte=SPACING_DAYS[0], spacing_days__lte=SPACING_DAYS[1]),
                name="care_plan_spacing_in_range",
            ),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="care_plan_status_known"),
        ]
        indexes = [models.Index(fields=["patient", "status"]), models.Index(fields=["clinic", "status"])]

    def __str__(self) -> str:
        return f"plan {self.pk} ({self.status})"


class CarePlanStatusChange(models.Model):
    """Who moved a plan from one status to another, and when. Append-only."""

    plan = models.ForeignKey(CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=PlanStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("care plan status change", "by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(pgettext_lazy("care plan status change", "at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=1000, blank=True, default="")

    class Meta:
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"
