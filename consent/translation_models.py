"""Translations of published consent forms and questionnaires, each tied to one source version.

A translation is the source in other words (consent/translation_checks.py says which keys
may differ). Drafts may be edited; once a clinical reviewer marks one reviewed it never
changes (PostgreSQL refuses it, migration 0009), except that publishing a newer version of
the same scope stamps `outdated_at` on it: it is then no longer offered to patients. Imported
by consent/models.py, so Django sees these models as the consent app's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = settings.LANGUAGES


class Translation(models.Model):
    """What every translation has besides its content: who wrote and who checked it."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    content_sha256 = models.CharField(verbose_name=_("content sha256"), max_length=64, editable=False)
    translator = models.CharField(_("translator"), max_length=200, help_text=_("Who translated it (a name)"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clinical reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    outdated_at = models.DateTimeField(
        _("out of date since"), null=True, blank=True, help_text=_("Set when a newer version was published")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None


def _constraints(name: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=["source", "language"], condition=Q(reviewed_at__isnull=False), name=f"{name}_one_reviewed"
        ),
        models.CheckConstraint(
            condition=Q(reviewer__isnull=True, reviewed_at__isnull=True)
            | Q(reviewer__isnull=False, reviewed_at__isnull=False),
            name=f"{name}_reviewer_and_date",
        ),
    ]


class ConsentFormTranslation(Translation):
    source = models.ForeignKey(
        "consent.ConsentFormVersion", on_delete=models.PROTECT, related_name="translations", verbose_name=_("source")
    )
    sections = models.JSONField(verbose_name=_("sections"))
    side_effects = models.JSONField(verbose_name=_("side effects"))
    acknowledgements = models.JSONField(verbose_name=_("acknowledgements"))
    intent_statement = models.TextField(verbose_name=_("intent statement"))
    e_records_disclosure = models.TextField(verbose_name=_("e records disclosure"))

    class Meta:
        verbose_name_plural = _("consent form translations")
        ordering = ["source", "language", "-created_at"]
        constraints = _constraints("consent_form_translation")
        verbose_name = _("consent form translation")

    def content(self) -> dict[str, Any]:
        """The translated content, shaped like the source's (see consent.content.demo_consent_form)."""
        return {
            "title": self.title,
            "sections": self.sections,
            "side_effects": self.side_effects,
            "acknowledgements": self.acknowledgements,
            "intent_statement": self.intent_statement,
            "e_records_disclosure": self.e_records_disclosure,
        }

    def canonical(self) -> dict[str, Any]:
        """The form as consent.documents renders it: the source's version, this language."""
        return {
            "kind": "consent_form_translation",
            "scope": self.source.scope,
            "version": self.source.version,
            "source_sha256": self.source.content_sha256,
            "language": self.language,
            **self.content(),
        }


class QuestionnaireTranslation(Translation):
    source = models.ForeignKey(
        "consent.QuestionnaireVersion", on_delete=models.PROTECT, related_name="translations", verbose_name=_("source")
    )
    items = models.JSONField(verbose_name=_("items"))
    combined_rules = models.JSONField(verbose_name=_("combined rules"), default=list, blank=True)

    class Meta:
        verbose_name_plural = _("questionnaire translations")
        ordering = ["source", "language", "-created_at"]
        constraints = _constraints("questionnaire_translation")
        verbose_name = _("questionnaire translation")

    def content(self) -> dict[str, Any]:
        return {"title": self.title, "items": self.items, "combined_rules": self.combined_rules}

    def canonical(self) -> dict[str, Any]:
        return {
            "kind": "questionnaire_translation",
            "scope": self.source.scope,
            "version": self.source.version,
            "source_sha256": self.source.content_sha256,
            "language": self.language,
            **self.content(),
        }
