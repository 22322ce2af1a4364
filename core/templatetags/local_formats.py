"""Template filters for core.formats: `{% load local_formats %}` then `{{ start|day_at }}`.

Aware datetimes are shown in the zone they carry; a template that needs the clinic's zone
converts first (booking's `when` tag)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from core import formats
from core.language import html_lang

register = template.Library()


def _safe(function: Callable[[Any], str]) -> Callable[[Any], str]:
    """Empty for None or '' (an unset date), like Django's date filter."""

    def wrapped(value: Any) -> str:
        if value in (None, ""):
            return ""
        return function(value)

    wrapped.__name__ = function.__name__
    return wrapped


for _name in (
    "day",
    "short_day",
    "day_month",
    "short_day_month",
    "weekday_name",
    "short_weekday",
    "full_date",
    "long_date",
    "short_date",
    "clock",
    "day_at",
    "full_date_at",
    "short_date_at",
    "short_day_at",
    "number",
    "percent",
):
    register.filter(_name, _safe(getattr(formats, _name)))

register.filter("html_lang", html_lang)
