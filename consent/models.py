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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Patient

# The consent app's models too (they live in their own modules, registered through these imports).
from consent.audit_models import ChainVerification as ChainVerification
from consent.audit_models import ConsentExport as ConsentExport
from consent.translation_models import ConsentFormTranslation as ConsentFormTranslation
from consent.translation_models import QuestionnaireTranslation as QuestionnaireTranslation


class Outcome(models.TextChoices):
    CLEAR = "clear", _("Clear")
    REVIEW = "review", _("Needs a practitioner's review")
    BLOCK = "block", _("No needling")


class PublishedDocument(models.Model):
    """Common to consent forms and questionnaires: a numbered, hashed version."""

    scope = models.SlugField(verbose_name=_("scope"), help_text=_("The clinic's slug this version is for"))
    version = models.PositiveIntegerField(verbose_name=_("version"))
    title = models.CharField(verbose_name=_("title"), max_length=200)
    material = models.BooleanField(
        verbose_name=_("material"),
        default=False,
        help_text=_("A material change: consents to earlier versions stop covering new visits."),
    )
    published_at = models.DateTimeField(verbose_name=_("published at"), default=timezone.now)
    content_sha256 = models.CharField(verbose_name=_("content sha256"), max_length=64, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ConsentFormVersion(PublishedDocument):
    """The informed-consent text. `sections` is a list of {id, heading, paragraphs: [..]}
    and `side_effects` a list of {effect, how_often, note}: see consent/documents.py."""

    sections = models.JSONField(verbose_name=_("sections"))
    side_effects = models.JSONField(verbose_name=_("side effects"))
    acknowledgements = models.JSONField(
        verbose_name=_("acknowledgements"), help_text=_("List of {id, text}; every one must be ticked to sign")
    )
    intent_statement = models.TextField(verbose_name=_("intent statement"))
    e_records_disclosure = models.TextField(verbose_name=_("e records disclosure"))

    class Meta:
        verbose_name = _("consent form version")
        verbose_name_plural = _("consent form versions")
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

    items = models.JSONField(verbose_name=_("items"))
    combined_rules = models.JSONField(verbose_name=_("combined rules"), default=list, blank=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
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
    reasons = models.JSONField(help_text=_("List of {item, code, outcome, site, explanation}"))
    created_at = models.DateTimeField(default=timezone.now)
    # The language the questions were shown in, and the translation shown (None: the source).
    # Rows from before translations have "" (the source, in the clinic's language).
    language = models.CharField(max_length=10, blank=True, default="")
    questionnaire_translation = models.ForeignKey(
        QuestionnaireTranslation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("screening response")
        verbose_name_plural = _("screening responses")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Screening {self.pk} ({self.outcome})"


class SignedConsent(models.Model):
    class SignerRole(models.TextChoices):
        PATIENT = "patient", _("The patient")
        GUARDIAN = "guardian", _("A parent or guardian")

    patient = models.ForeignKey(Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="consents")
    form_version = models.ForeignKey(
        ConsentFormVersion, verbose_name=_("form version"), on_delete=models.PROTECT, related_name="+"
    )
    form_sha256 = models.CharField(verbose_name=_("form sha256"), max_length=64)
    rendered_text_sha256 = models.CharField(
        verbose_name=_("rendered text sha256"), max_length=64, help_text=_("sha256 of the exact text shown")
    )
    # The language of the text shown, and the reviewed translation shown (None: the source itself).
    # Rows from before translations have "" (the source, in the clinic's language).
    language = models.CharField(verbose_name=_("language"), max_length=10, blank=True, default="")
    form_translation = models.ForeignKey(
        ConsentFormTranslation,
        verbose_name=_("form translation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    render_context = models.JSONField(
        verbose_name=_("render context"), help_text=_("What filled the form's blanks, so the text can be rebuilt")
    )
    screening = models.ForeignKey(
        ScreeningResponse, verbose_name=_("screening"), on_delete=models.PROTECT, related_name="consents"
    )
    signer_role = models.CharField(verbose_name=_("signer role"), max_length=10, choices=SignerRole.choices)
    typed_name = models.CharField(verbose_name=_("typed name"), max_length=200)
    guardian_relationship = models.CharField(verbose_name=_("guardian relationship"), max_length=100, blank=True)
    guardian_authority = models.TextField(
        verbose_name=_("guardian authority"), blank=True, help_text=_("The guardian's statement of authority")
    )
    minor_assent = models.BooleanField(
        verbose_name=_("minor assent"), null=True, help_text=_("The minor's assent, when a guardian signs")
    )
    signature_svg = models.TextField(verbose_name=_("signature svg"), blank=True)
    acknowledgements = models.JSONField(
        verbose_name=_("acknowledgements"), help_text=_("Ids of every acknowledgement ticked")
    )
    intent_statement = models.TextField(
        verbose_name=_("intent statement"), help_text=_("The statement of intent, as shown")
    )
    e_records_accepted = models.BooleanField(verbose_name=_("e records accepted"))
    signed_at = models.DateTimeField(verbose_name=_("signed at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(verbose_name=_("ip address"), null=True, blank=True)
    user_agent = models.CharField(verbose_name=_("user agent"), max_length=400, blank=True)
    auth_method = models.CharField(
        verbose_name=_("auth method"), max_length=40, help_text=_("How the signer proved who they are")
    )
    authenticated_at = models.DateTimeField(verbose_name=_("authenticated at"), null=True, blank=True)
    scope = models.SlugField(verbose_name=_("scope"), help_text=_("The clinic's slug"))
    # 1: the one chain over every clinic (rows signed before per-clinic chains); 2: the
    # clinic's own chain. Rows are never rewritten, so each keeps the scheme it was signed under.
    chain_scheme = models.PositiveSmallIntegerField(
        verbose_name=_("chain scheme"), default=1, help_text=_("How this row is chained: see consent/integrity.py")
    )
    screening_answers_sha256 = models.CharField(
        verbose_name=_("screening answers sha256"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("sha256 of the screening answers signed with (scheme 2)"),
    )
    sequence = models.PositiveBigIntegerField(
        verbose_name=_("sequence"), help_text=_("Position in its hash chain, from 1")
    )
    previous_hash = models.CharField(
        verbose_name=_("previous hash"),
        max_length=64,
        help_text=_("row_hash of the previous signed consent in its chain"),
    )
    row_hash = models.CharField(verbose_name=_("row hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("signed consent")
        verbose_name_plural = _("signed consents")
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
        names = {"id": self.pk, "name": self.typed_name, "date": f"{self.signed_at:%Y-%m-%d}"}
        return gettext("Consent %(id)s by %(name)s on %(date)s") % names

    def shown_canonical(self) -> dict[str, Any]:
        """The form as the signer read it: the translation shown, else the source version.
        Everything that rebuilds the signed text (consent.documents.render_text) starts here."""
        if self.form_translation is not None:
            return self.form_translation.canonical()
        return self.form_version.canonical()


class ConsentWithdrawal(models.Model):
    """Ends a consent's cover. A new row, never an edit of the consent."""

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn by the patient")
        HEALTH_CHANGED = "health_changed", _("The patient reported a change in health")
        WITHDRAWN_BY_STAFF = "withdrawn_by_staff", _("Withdrawn by the clinic")
        REVIEW_DECLINED = "review_declined", _("A practitioner declined the screening on review")

    consent = models.ForeignKey(SignedConsent, on_delete=models.PROTECT, related_name="withdrawals")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent withdrawal")
        verbose_name_plural = _("consent withdrawals")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.at:%Y-%m-%d})"


class ScreeningReview(models.Model):
    """A practitioner's decision on a screening that needed review."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    screening = models.ForeignKey(ScreeningResponse, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening review")
        verbose_name_plural = _("screening reviews")
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

    consent = models.ForeignKey(
        SignedConsent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(verbose_name=_("role"), max_length=20)
    action = models.CharField(verbose_name=_("action"), max_length=10, choices=Action.choices)
    channel = models.CharField(
        verbose_name=_("channel"), max_length=20, help_text=_("api, patient_page, staff_page, admin, pdf, csv, fhir")
    )
    ip_address = models.GenericIPAddressField(verbose_name=_("ip address"), null=True, blank=True)
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)
    export = models.ForeignKey(
        "ConsentExport",
        verbose_name=_("export"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_rows",
        help_text=_("The CSV or FHIR export this row is part of"),
    )

    class Meta:
        verbose_name = _("consent access log")
        verbose_name_plural = _("consent access log entries")
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
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="chain_head_singleton")]

    def __str__(self) -> str:
        return f"chain head at {self.count}"


class ClinicChainHead(models.Model):
    """The end of one clinic's chain (scheme 2), locked while a consent is appended to it,
    so that chain never forks and other clinics' signatures never wait on it."""

    scope = models.SlugField(primary_key=True, help_text=_("The clinic's slug"))
    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("clinic chain head")
        verbose_name_plural = _("clinic chain heads")

    def __str__(self) -> str:
        return f"{self.scope} chain head at {self.count}"
