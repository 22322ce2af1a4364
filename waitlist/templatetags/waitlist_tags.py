"""The patient's waitlist entries on booking's My appointments page, and one entry in words.

Booking's template loads this library by name (booking sits below the waitlist, so it never
imports it in Python)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from babel.lists import format_list
from django import template
from django.utils.translation import gettext as _

from accounts.models import Patient
from core import formats
from waitlist.models import Entry, PartOfDay
from waitlist.selectors.entries import waiting_entries
from waitlist.views.entry_form import MONDAY, notice_words

register = template.Library()


def _listed(words: list[str]) -> str:
    return format_list(words, locale=formats.locale())


def days_words(entry: Entry) -> str:
    if not entry.weekdays:
        return _("Any day of the week")
    return _listed([formats.weekday_name(MONDAY + timedelta(days=day)) for day in sorted(entry.weekdays)])


def parts_words(entry: Entry) -> str:
    if not entry.parts_of_day:
        return _("Any time of day")
    labels = dict(PartOfDay.choices)
    return _listed([str(labels[part]) for part in PartOfDay.values if part in entry.parts_of_day])


def entry_words(entry: Entry) -> dict[str, Any]:
    return {
        "entry": entry,
        "days": days_words(entry),
        "parts": parts_words(entry),
        "notice": notice_words(entry.notice_minutes),
    }


@register.inclusion_tag("waitlist/entries/summary.html")
def entry_summary(entry: Entry) -> dict[str, Any]:
    return entry_words(entry)


@register.inclusion_tag("waitlist/entries/list.html", takes_context=True)
def waitlist_entries(context: template.Context) -> dict[str, Any]:
    """The signed-in patient's waiting entries (none for anyone else)."""
    request = context.get("request")
    patient = getattr(getattr(request, "user", None), "patient", None)
    if not isinstance(patient, Patient):
        return {"entries": []}
    return {"entries": [entry_words(entry) for entry in waiting_entries(patient)]}
