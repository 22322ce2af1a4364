"""Consent's audit records kept beside the access log: the CSV and FHIR exports, and the
runs of the hash-chain check. Registered through consent.models, which imports them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentExport(models.Model):
    """One CSV or FHIR export: who asked, for what, and whether health answers went out.

    Each consent in it also gets a ConsentAccessLog row pointing here, written in
    the same transaction as the export."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        FHIR = "fhir", _("FHIR R4B bundle")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(verbose_name=_("role"), max_length=20)
    format = models.CharField(verbose_name=_("format"), max_length=10, choices=Format.choices)
    channel = models.CharField(verbose_name=_("channel"), max_length=20, help_text=_("staff_page, admin or command"))
    include_health_answers = models.BooleanField(
        verbose_name=_("include health answers"), help_text=_("The admin asked for the screening answers too")
    )
    filters = models.JSONField(
        verbose_name=_("filters"), default=dict, blank=True, help_text=_("What the export was limited to")
    )
    consent_count = models.PositiveIntegerField(verbose_name=_("consent count"))
    ip_address = models.GenericIPAddressField(verbose_name=_("ip address"), null=True, blank=True)
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consent export")
        verbose_name_plural = _("consent exports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} export of {self.consent_count} consents ({self.at:%Y-%m-%d %H:%M})"


class ChainVerification(models.Model):
    """A run of the hash-chain check, kept so pages can show the latest verdict
    without re-hashing every consent on each view."""

    class Trigger(models.TextChoices):
        PAGE = "page", _("Integrity page")
        SCHEDULE = "schedule", _("Weekly check")
        COMMAND = "command", _("Command line")

    trigger = models.CharField(verbose_name=_("trigger"), max_length=10, choices=Trigger.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    finished_at = models.DateTimeField(verbose_name=_("finished at"))
    checked = models.PositiveBigIntegerField(
        verbose_name=_("checked"), help_text=_("Signed consents in the chain when it ran")
    )
    ok = models.BooleanField(verbose_name=_("ok"))
    broken_sequence = models.PositiveBigIntegerField(verbose_name=_("broken sequence"), null=True, blank=True)
    broken_consent_id = models.BigIntegerField(
        verbose_name=_("broken consent id"),
        null=True,
        blank=True,
        help_text=_("Not a foreign key: the row may be gone"),
    )
    problem = models.TextField(verbose_name=_("problem"), blank=True)
    # Where the chain ended when this run found it whole. The next run checks that the
    # chain still holds that row with that hash: a rewritten ChainHead (with the newest
    # consents deleted) cannot hide behind a head that agrees with what is left.
    head_count = models.PositiveBigIntegerField(verbose_name=_("head count"), null=True, blank=True)
    head_hash = models.CharField(verbose_name=_("head hash"), max_length=64, blank=True)
    # The same for each clinic's chain (scheme 2), by scope: {"<scope>": {"count": n, "hash": h}}.
    chain_ends = models.JSONField(verbose_name=_("chain ends"), default=dict, blank=True)
    # Signed consents per clinic when it ran, {"<scope>": n}: a clinic admin's page counts
    # only their own clinics' (`checked` spans every clinic).
    clinic_counts = models.JSONField(verbose_name=_("clinic counts"), default=dict, blank=True)
    # The breaks a failed run found, per chain: {"<scope>": [{"consent_id", "sequence", "problem"}]}
    # ("" for the scheme-1 chain over every clinic), so each clinic's admins see their own only.
    clinic_problems = models.JSONField(verbose_name=_("clinic problems"), default=dict, blank=True)

    class Meta:
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")
        ordering = ["-finished_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ok=True, broken_consent_id__isnull=True)
                | Q(ok=False, broken_consent_id__isnull=False, broken_sequence__isnull=False),
                name="verification_break_named",
            ),
        ]

    def __str__(self) -> str:
        verdict = "verified" if self.ok else f"broken at {self.broken_sequence}"
        return f"Chain {verdict} ({self.finished_at:%Y-%m-%d %H:%M})"
