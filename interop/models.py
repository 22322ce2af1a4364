"""Who may call the FHIR scheduling endpoint from outside, and what each call did.

A ClientKey is a system client's credential (a hospital EHR, a booking portal), issued by a clinic
admin for one clinic with scopes, shown once and kept only as a SHA-256 (like the calendar feed
tokens), revocable. Patients need no key: their existing API token works, for themselves alone.
A ClientCall is the append-only audit of every call to /fhir/R4/ that named a caller: who (the
key or the user), what (method, operation or resource, the resource id, the answer's status), when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Clinic


class Scope(models.TextChoices):
    SLOTS_READ = "slots:read", _("Read schedules and free times")
    BOOK = "appointments:book", _("Hold, book, move and cancel visits for patients it identifies")


class ClientKey(models.Model):
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    # The key is "acus_<prefix>_<secret>": the prefix finds the row, the hash of the whole key checks it.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client key")
        verbose_name_plural = _("API client keys")
        ordering = ["clinic", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.active and scope in self.scopes


class ClientCall(models.Model):
    """One call to the FHIR endpoint by a client key or a signed-in user. Append-only (trigger)."""

    client_key = models.ForeignKey(ClientKey, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=8)
    # "Slot search", "Appointment/$hold", "Appointment read": never a query string (it may name a patient).
    interaction = models.CharField(max_length=60)
    resource_id = models.CharField(max_length=64, blank=True)
    status = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client_key", "-at"], name="interop_call_by_key")]
        constraints = [
            models.CheckConstraint(
                condition=Q(client_key__isnull=False) | Q(user__isnull=False), name="interop_call_has_caller"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.interaction} {self.status}"


class PublishedFile(models.Model):
    """One SMART Scheduling Links NDJSON file, kept so that clients polling every minute read a
    row, not the slot engine. `changed_at` is the dirty marker: a change that alters free time
    stamps it after commit, and the beat job (interop.publish) regenerates files whose data
    changed after they were generated, or that are older than publishing.REFRESH."""

    class Kind(models.TextChoices):
        LOCATION = "Location"
        SCHEDULE = "Schedule"
        SLOT = "Slot"

    # Null would be a site-wide file; Acus publishes one file of each kind per clinic.
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField()
    etag = models.CharField(max_length=64)
    # When the data it shows was read (the start of its generation), not when it was written.
    generated_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "kind"], name="interop_one_file_per_clinic_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} file of clinic {self.clinic_id}"
