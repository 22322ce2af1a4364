"""A patient's request to be forgotten, as carried out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Patient


class ErasureRequest(models.Model):
    """A patient's request to be forgotten, as carried out: what was anonymised and
    what the clinic must keep, and until when. Append-only (migration 0006)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(help_text=_("When the patient asked"))
    carried_out_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text=_("How the request came in, e.g. email of 3 March"))
    anonymised = models.JSONField(help_text=_("List of {what, detail}: what was anonymised or revoked"))
    kept = models.JSONField(help_text=_("List of {what, clinic, count, until, reason}: records kept, and until when"))
    cancelled_appointments = models.JSONField(default=list, help_text=_("Ids of future appointments cancelled"))

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-carried_out_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure for patient {self.patient_id} ({self.carried_out_at:%Y-%m-%d})"
