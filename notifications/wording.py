"""Writes to a clinic's own wording (MessageTemplate) and its translations.

Saving a source whose words changed publishes a new version: each of its translations is
marked out of date, and is not sent again until a clinical reviewer has reviewed it anew.
A translation whose words change without a new review loses its review."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import MessageTemplate

WORDS = ("subject", "text", "html")


def save_template(template: MessageTemplate) -> MessageTemplate:
    with transaction.atomic():
        before = MessageTemplate.objects.select_for_update().filter(pk=template.pk).first() if template.pk else None
        changed = before is not None and any(getattr(before, name) != getattr(template, name) for name in WORDS)
        template.settle()
        source = template.source
        if source is not None:
            review = (template.reviewer_id, template.reviewed_at)
            reviewed_now = template.reviewed_at is not None and (
                before is None or (before.reviewer_id, before.reviewed_at) != review
            )
            if reviewed_now:
                template.out_of_date = False
            elif changed:
                template.reviewer, template.reviewed_at = None, None
        template.save()
        if source is None and changed:
            template.translations.update(out_of_date=True)
    return template


def review_translation(translation: MessageTemplate, *, reviewer: User, now: datetime | None = None) -> MessageTemplate:
    """A clinical reviewer has checked the translation against its source as it is now."""
    translation.reviewer = reviewer
    translation.reviewed_at = now or timezone.now()
    translation.out_of_date = False
    translation.save(update_fields=["reviewer", "reviewed_at", "out_of_date", "updated_at"])
    return translation
