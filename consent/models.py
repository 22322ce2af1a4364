"""Versioned consent forms and questionnaires, screenings, signatures and their audit.

Published documents, screening responses, signed consents, withdrawals, reviews
and the access log are append-only: the app never updates or deletes them, and on
PostgreSQL triggers refuse it (migration 0002). Consent knows nothing of booking:
a clinic is named by its slug (`scope`), and booking passes what rendering needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Patient

# The consent app's models too (they live in their own module, registered through this import).
from consent.translation_models import ConsentFormTranslation as ConsentFormTranslation
from consent.translation_models import QuestionnaireTranslation as QuestionnaireTranslation


class Outcome(models.TextChoices):
    CLEAR = "clear", _("Clear")
    REVIEW = "review", _("Needs a practitioner's review")
    BLOCK = "block", _("No needling")


class PublishedDocument(models.Model):
    """Common to consent forms and questionnaires: a numbered, hashed version."""

    scope = models.SlugField(help_text="The clinic's slug this version is for")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    material = models.BooleanField(
        default=False, help_text="A material change: consents to earlier versions stop covering new visits."
    )
    published_at = models.DateTimeField(default=timezone.now)
    content_sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ConsentFormVersion(PublishedDocument):
    """The informed-consent text. `sections` is a list of {id, heading, paragraphs: [..]}
    and `side_effects` a list of {effect, how_often, note}: see consent/documents.py."""

    sections = models.JSONField()
    side_effects = models.JSONField()
    acknowledgements = models.JSONField(help_text="List of {id, text}; every one must be ticked to sign")
    intent_statement = models.TextField()
    e_records_disclosure = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "version"], name="consent_form_scope_version")]

    def canonical(self) -> dict[str, Any]:
        return {
            "kind": "consent_form",
            "scope": self.scope,
            "version": self.version,
            "title": self.title,
            "material": self.material,
            "sections": self.sections,
            "side_effects": self.side_effects,
            "acknowledgements": self.acknowledgements,
            "intent_statement": self.intent_statement,
            "e_records_disclosure": self.e_records_disclosure,
        }


class QuestionnaireVersion(PublishedDocument):
    """Screening questions as data: `items` and `combined_rules`, see consent/screening.py."""

    items = models.JSONField()
    combined_rules = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "version"], name="questionnaire_scope_version")]

    def canonical(self) -> dict[str, Any]:
        return {
            "kind": "questionnaire",
            "scope": self.scope,
            "version": self.version,
            "title": self.title,
            "material": self.material,
            "items": self.items,
            "combined_rules": self.combined_rules,
        }


class ScreeningResponse(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.JSONField(help_text="List of {item, code, outcome, site, explanation}")
    created_at = models.DateTimeField(default=timezone.now)
    # The language the questions were shown in, and the translation shown (None: the source).
    # Rows from before translations have "" (the source, in the clinic's language).
    language = models.CharField(max_length=10, blank=True, default="")
    questionnaire_translation = models.ForeignKey(
        QuestionnaireTranslation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Screening {self.pk} ({self.outcome})"


class SignedConsent(models.Model):
    class SignerRole(models.TextChoices):
        PATIENT = "patient", "The patient"
        GUARDIAN = "guardian", "A parent or guardian"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    form_version = models.ForeignKey(ConsentFormVersion, on_delete=models.PROTECT, related_name="+")
    form_sha256 = models.CharField(max_length=64)
    rendered_text_sha256 = models.CharField(max_length=64, help_text="sha256 of the exact text shown")
    # The language of the text shown, and the reviewed translation shown (None: the source itself).
    # Rows from before translations have "" (the source, in the clinic's language).
    language = models.CharField(max_length=10, blank=True, default="")
    form_translation = models.ForeignKey(
        ConsentFormTranslation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    render_context = models.JSONField(help_text="What filled the form's blanks, so the text can be rebuilt")
    screening = models.ForeignKey(ScreeningResponse, on_delete=models.PROTECT, related_name="consents")
    signer_role = models.CharField(max_length=10, choices=SignerRole.choices)
    typed_name = models.CharField(max_length=200)
    guardian_relationship = models.CharField(max_length=100, blank=True)
    guardian_authority = models.TextField(blank=True, help_text="The guardian's statement of authority")
    minor_assent = models.BooleanField(null=True, help_text="The minor's assent, when a guardian signs")
    signature_svg = models.TextField(blank=True)
    acknowledgements = models.JSONField(help_text="Ids of every acknowledgement ticked")
    intent_statement = models.TextField(help_text="The statement of intent, as shown")
    e_records_accepted = models.BooleanField()
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    auth_method = models.CharField(max_length=40, help_text="How the signer proved who they are")
    authenticated_at = models.DateTimeField(null=True, blank=True)
    scope = models.SlugField(help_text="The clinic's slug")
    # 1: the one chain over every clinic (rows signed before per-clinic chains); 2: the
    # clinic's own chain. Rows are never rewritten, so each keeps the scheme it was signed under.
    chain_scheme = models.PositiveSmallIntegerField(
        default=1, help_text="How this row is chained: see consent/integrity.py"
    )
    screening_answers_sha256 = models.CharField(
        max_length=64, blank=True, default="", help_text="sha256 of the screening answers signed with (scheme 2)"
    )
    sequence = models.PositiveBigIntegerField(help_text="Position in its hash chain, from 1")
    previous_hash = models.CharField(max_length=64, help_text="row_hash of the previous signed consent in its chain")
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [
            # The audit list: one clinic's consents, newest first, a page at a time. It covers
            # every column the list filters on, so counting and paging never read the wide rows.
            models.Index(
                fields=["scope", "-signed_at", "-id"],
                include=["form_version", "signer_role", "patient"],
                name="consent_scope_signed",
            ),
        ]
        constraints = [
            # One position and one predecessor per chain: the scheme-1 chain spans every clinic.
            models.UniqueConstraint(fields=["sequence"], condition=Q(chain_scheme=1), name="consent_v1_sequence"),
            models.UniqueConstraint(fields=["previous_hash"], condition=Q(chain_scheme=1), name="consent_v1_previous"),
            models.UniqueConstraint(
                fields=["scope", "sequence"], condition=Q(chain_scheme=2), name="consent_v2_clinic_sequence"
            ),
            models.UniqueConstraint(
                fields=["scope", "previous_hash"], condition=Q(chain_scheme=2), name="consent_v2_clinic_previous"
            ),
            models.CheckConstraint(condition=Q(chain_scheme__in=[1, 2]), name="consent_chain_scheme_known"),
            models.CheckConstraint(condition=Q(e_records_accepted=True), name="consent_e_records_accepted"),
            models.CheckConstraint(
                condition=Q(signer_role="patient") | (~Q(guardian_relationship="") & Q(minor_assent__isnull=False)),
                name="consent_guardian_details",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk} by {self.typed_name} on {self.signed_at:%Y-%m-%d}"

    def shown_canonical(self) -> dict[str, Any]:
        """The form as the signer read it: the translation shown, else the source version.
        Everything that rebuilds the signed text (consent.documents.render_text) starts here."""
        if self.form_translation is not None:
            return self.form_translation.canonical()
        return self.form_version.canonical()


class ConsentWithdrawal(models.Model):
    """Ends a consent's cover. A new row, never an edit of the consent."""

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn by the patient"
        HEALTH_CHANGED = "health_changed", "The patient reported a change in health"
        WITHDRAWN_BY_STAFF = "withdrawn_by_staff", "Withdrawn by the clinic"
        REVIEW_DECLINED = "review_declined", "A practitioner declined the screening on review"

    consent = models.ForeignKey(SignedConsent, on_delete=models.PROTECT, related_name="withdrawals")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.at:%Y-%m-%d})"


class ScreeningReview(models.Model):
    """A practitioner's decision on a screening that needed review."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    screening = models.ForeignKey(ScreeningResponse, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="review_note_required")]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer_id}"


class ConsentAccessLog(models.Model):
    """Who looked at or exported a signed consent. Written in the same transaction as the read."""

    class Action(models.TextChoices):
        VIEW = "view"
        DOWNLOAD = "download"
        EXPORT = "export"

    consent = models.ForeignKey(SignedConsent, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=Action.choices)
    channel = models.CharField(max_length=20, help_text="api, patient_page, staff_page, admin, pdf, csv, fhir")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    export = models.ForeignKey(
        "ConsentExport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_rows",
        help_text="The CSV or FHIR export this row is part of",
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} of consent {self.consent_id}"


class ChainHead(models.Model):
    """The end of the scheme-1 chain over every clinic: one row, locked while a consent was
    appended. Closed since per-clinic chains (ClinicChainHead): nothing is appended to it now."""

    singleton = models.BooleanField(primary_key=True, default=True)
    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="chain_head_singleton")]

    def __str__(self) -> str:
        return f"chain head at {self.count}"


class ClinicChainHead(models.Model):
    """The end of one clinic's chain (scheme 2), locked while a consent is appended to it,
    so that chain never forks and other clinics' signatures never wait on it."""

    scope = models.SlugField(primary_key=True, help_text="The clinic's slug")
    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope} chain head at {self.count}"


class ConsentExport(models.Model):
    """One CSV or FHIR export: who asked, for what, and whether health answers went out.

    Each consent in it also gets a ConsentAccessLog row pointing here, written in
    the same transaction as the export."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        FHIR = "fhir", "FHIR R4B bundle"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    format = models.CharField(max_length=10, choices=Format.choices)
    channel = models.CharField(max_length=20, help_text="staff_page, admin or command")
    include_health_answers = models.BooleanField(help_text="The admin asked for the screening answers too")
    filters = models.JSONField(default=dict, blank=True, help_text="What the export was limited to")
    consent_count = models.PositiveIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} export of {self.consent_count} consents ({self.at:%Y-%m-%d %H:%M})"


class ChainVerification(models.Model):
    """A run of the hash-chain check, kept so pages can show the latest verdict
    without re-hashing every consent on each view."""

    class Trigger(models.TextChoices):
        PAGE = "page", "Integrity page"
        SCHEDULE = "schedule", "Weekly check"
        COMMAND = "command", "Command line"

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    checked = models.PositiveBigIntegerField(help_text="Signed consents in the chain when it ran")
    ok = models.BooleanField()
    broken_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    broken_consent_id = models.BigIntegerField(
        null=True, blank=True, help_text="Not a foreign key: the row may be gone"
    )
    problem = models.TextField(blank=True)
    # Where the chain ended when this run found it whole. The next run checks that the
    # chain still holds that row with that hash: a rewritten ChainHead (with the newest
    # consents deleted) cannot hide behind a head that agrees with what is left.
    head_count = models.PositiveBigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    # The same for each clinic's chain (scheme 2), by scope: {"<scope>": {"count": n, "hash": h}}.
    chain_ends = models.JSONField(default=dict, blank=True)
    # Signed consents per clinic when it ran, {"<scope>": n}: a clinic admin's page counts
    # only their own clinics' (`checked` spans every clinic).
    clinic_counts = models.JSONField(default=dict, blank=True)
    # The breaks a failed run found, per chain: {"<scope>": [{"consent_id", "sequence", "problem"}]}
    # ("" for the scheme-1 chain over every clinic), so each clinic's admins see their own only.
    clinic_problems = models.JSONField(default=dict, blank=True)

    class Meta:
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
