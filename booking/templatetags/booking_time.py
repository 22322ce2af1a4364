"""Times on the patient's pages: in the clinic's zone, and in the patient's own when it differs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from booking.views import common

register = template.Library()

LONG = "l j F Y, H:i"


@register.simple_tag(takes_context=True)
def when(context: dict[str, Any], moment: datetime, zone: str, style: str = LONG) -> str:
    """<time> in the clinic's zone, with the patient's own time added when their zone differs."""
    local = moment.astimezone(ZoneInfo(zone))
    text = format_html('<time datetime="{}">{}</time>', local.isoformat(), date_format(local, style))
    request = context.get("request")
    patient = getattr(getattr(request, "user", None), "patient", None)
    own = getattr(patient, "time_zone", "") or ""
    if own and own != zone:
        theirs = moment.astimezone(ZoneInfo(own))
        return format_html("{} ({} your time)", text, date_format(theirs, "H:i, D j M"))
    return text


@register.filter
def zone_name(zone: str) -> str:
    return zone.replace("_", " ")


@register.filter
def slot_code(moment: datetime) -> str:
    """The start time as it travels in a URL or a form (UTC, e.g. 20260303T1000Z)."""
    return common.slot_code(moment)
