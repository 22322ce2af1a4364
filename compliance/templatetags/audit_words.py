"""The audit pages' stored codes and texts in the reader's language: `{% load audit_words %}`."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from compliance.forms import ACTIONS, CHANNELS

register = template.Library()


@register.filter
def channel_label(code: str) -> str:
    """staff_page -> "Audit or staff page"; an unknown code as it is."""
    return str(dict(CHANNELS).get(code, code))


@register.filter
def action_label(code: str) -> str:
    return str(dict(ACTIONS).get(code, code))


@register.filter
def stored_words(text: str) -> str:
    """An English text stored in a record (an erasure's list of what it anonymised), in the
    reader's language when the catalogue has it, else as stored."""
    return gettext(text) if text else text
