"""Times on the patient's pages: in the clinic's zone, and in the patient's own when it differs.

Dates and times follow the active language (core.formats): "Tuesday, 8 December 2026, 09:00",
"martes, 8 de diciembre de 2026, 9:00", "mardi 8 décembre 2026, 09:00"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from booking.views import common
from core import formats

register = template.Library()

# The styles a template may ask for, by the name of their core.formats function.
STYLES: dict[str, Callable[[datetime], str]] = {
    "full_date_at": formats.full_date_at,
    "day_at": formats.day_at,
    "short_date_at": formats.short_date_at,
    "short_day_at": formats.short_day_at,
    "long_date": formats.long_date,
    "full_date": formats.full_date,
}
LONG = "full_date_at"


@register.simple_tag(takes_context=True)
def when(context: dict[str, Any], moment: datetime, zone: str, style: str = LONG) -> str:
    """<time> in the clinic's zone, with the patient's own time added when their zone differs."""
    local = moment.astimezone(ZoneInfo(zone))
    text = format_html('<time datetime="{}">{}</time>', local.isoformat(), STYLES[style](local))
    request = context.get("request")
    patient = getattr(getattr(request, "user", None), "patient", None)
    own = getattr(patient, "time_zone", "") or ""
    if own and own != zone:
        theirs = formats.short_day_at(moment.astimezone(ZoneInfo(own)))
        return format_html("{} {}", text, _("(%(when)s your time)") % {"when": theirs})
    return text


@register.filter
def zone_name(zone: str) -> str:
    return zone.replace("_", " ")


@register.filter
def slot_code(moment: datetime) -> str:
    """The start time as it travels in a URL or a form (UTC, e.g. 20260303T1000Z)."""
    return common.slot_code(moment)
