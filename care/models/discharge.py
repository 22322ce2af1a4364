"""How a plan closed, and the discharge summary kept in the patient's record.

The summary PDF is made once, when the plan is closed, and stored with its SHA-256 so the
record shows what was handed over even if later data (a corrected note) changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models.plans import CarePlan


class DischargeReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    GOALS_PARTLY_MET = "goals_partly_met", _("Goals partly met")
    GOALS_NOT_MET = "goals_not_met", _("Goals not met")
    PATIENT_STOPPED = "patient_stopped", _("Patient stopped")
    REFERRED_ON = "referred_on", _("Referred on")


class Discharge(models.Model):
    plan = models.OneToOneField(CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="discharge")
    reason = models.CharField(_("reason"), max_length=20, choices=DischargeReason.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("discharged by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("discharged at"), default=timezone.now)
    summary_pdf = models.BinaryField(_("summary (PDF)"))
    summary_sha256 = models.CharField(_("summary SHA-256"), max_length=64)
    language = models.CharField(_("language"), max_length=8)

    class Meta:
        verbose_name = _("discharge")
        verbose_name_plural = _("discharges")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"plan {self.plan_id}: {self.reason}"
