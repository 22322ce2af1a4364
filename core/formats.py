"""Dates, times and numbers as the reader's language writes them.

Django's `date` filter translates month and day names but keeps the English order of a
fixed pattern ("l j F" gives "martes 8 diciembre", where Spanish says "martes, 8 de
diciembre"). Babel knows each locale's own patterns (CLDR), so every date a person reads
goes through here: in Python call these functions, in templates the filters of
`{% load local_formats %}`. Each function uses the active language unless one is given.

Aware datetimes are shown in the zone they carry: convert to the clinic's or the
patient's zone first (booking's `when` tag and notifications do)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import translation

# CLDR skeletons: the fields wanted, in no order; the locale decides order and punctuation.
WEEKDAY_DAY_MONTH = "MMMMEEEEd"  # Tuesday 8 December · martes, 8 de diciembre · mardi 8 décembre
SHORT_WEEKDAY_DAY_MONTH = "MMMEd"  # Tue 8 Dec · mar, 8 dic · mar. 8 déc.
DAY_MONTH = "MMMMd"  # 8 December
SHORT_DAY_MONTH = "MMMd"  # 8 Dec
DAY_MONTH_YEAR = "yMMMMd"  # 8 December 2026
SHORT_DAY_MONTH_YEAR = "yMMMd"  # 8 Dec 2026
SHORT_WEEKDAY = "EEE"  # Tue


def locale(language: str | None = None) -> Locale:
    """The Babel locale of a Django language code ("en-gb" -> en_GB), the active one by default."""
    code = translation.to_locale(language or translation.get_language() or "en-gb")
    try:
        return Locale.parse(code)
    except (ValueError, LookupError):
        return Locale.parse("en_GB")


@cache
def _pattern(where: Locale, skeleton: str) -> str:
    """The locale's pattern for a skeleton. Matching a skeleton costs about 0.1 ms and a page
    shows dozens of dates, so each (locale, skeleton) is worked out once per process."""
    best = babel_dates.match_skeleton(skeleton, where.datetime_skeletons) or skeleton
    pattern = str(where.datetime_skeletons[best]) if best in where.datetime_skeletons else skeleton
    if "EEEE" in skeleton:
        # CLDR lists most skeletons with the short weekday only; widen it, keeping the locale's order.
        pattern = re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", pattern)
    if "MMMM" in skeleton:
        pattern = re.sub(r"(?<!M)M{3}(?!M)", "MMMM", pattern)
    return pattern


def _skeleton(value: date | datetime, skeleton: str, language: str | None) -> str:
    where = locale(language)
    return babel_dates.format_date(value, _pattern(where, skeleton), locale=where)


def day(value: date | datetime, language: str | None = None) -> str:
    """Tuesday 8 December."""
    return _skeleton(value, WEEKDAY_DAY_MONTH, language)


def short_day(value: date | datetime, language: str | None = None) -> str:
    """Tue 8 Dec."""
    return _skeleton(value, SHORT_WEEKDAY_DAY_MONTH, language)


def day_month(value: date | datetime, language: str | None = None) -> str:
    """8 December."""
    return _skeleton(value, DAY_MONTH, language)


def short_day_month(value: date | datetime, language: str | None = None) -> str:
    """8 Dec."""
    return _skeleton(value, SHORT_DAY_MONTH, language)


def weekday_name(value: date | datetime, language: str | None = None) -> str:
    """Tuesday."""
    return babel_dates.format_date(value, "EEEE", locale=locale(language))


def short_weekday(value: date | datetime, language: str | None = None) -> str:
    """Tue."""
    return _skeleton(value, SHORT_WEEKDAY, language)


def full_date(value: date | datetime, language: str | None = None) -> str:
    """Tuesday 8 December 2026 (the locale's full date)."""
    return babel_dates.format_date(value, "full", locale=locale(language))


def long_date(value: date | datetime, language: str | None = None) -> str:
    """8 December 2026."""
    return _skeleton(value, DAY_MONTH_YEAR, language)


def short_date(value: date | datetime, language: str | None = None) -> str:
    """8 Dec 2026."""
    return _skeleton(value, SHORT_DAY_MONTH_YEAR, language)


def clock(value: time | datetime, language: str | None = None) -> str:
    """09:00 (the locale's short time: 24-hour in en-GB, es and fr)."""
    return babel_dates.format_time(value, "short", locale=locale(language))


def _joined(date_text: str, time_text: str, language: str | None) -> str:
    # The locale's own way of joining a date and a time ("{1}, {0}", "{1} à {0}", ...).
    pattern = babel_dates.get_datetime_format("medium", locale=locale(language))
    return str(pattern).replace("'", "").format(time_text, date_text)


def day_at(value: datetime, language: str | None = None) -> str:
    """Tuesday 8 December, 09:00."""
    return _joined(day(value, language), clock(value, language), language)


def full_date_at(value: datetime, language: str | None = None) -> str:
    """Tuesday 8 December 2026, 09:00."""
    return _joined(full_date(value, language), clock(value, language), language)


def short_date_at(value: datetime, language: str | None = None) -> str:
    """8 Dec 2026, 09:00."""
    return _joined(short_date(value, language), clock(value, language), language)


def short_day_at(value: datetime, language: str | None = None) -> str:
    """Tue 8 Dec, 09:00."""
    return _joined(short_day(value, language), clock(value, language), language)


def number(value: int | float | Decimal, language: str | None = None) -> str:
    """1,234.5 · 1.234,5 · 1 234,5."""
    return babel_numbers.format_decimal(value, locale=locale(language))


def percent(value: float | Decimal, language: str | None = None) -> str:
    """0.0755 -> 7.55% · 7,55 % · 7,55 %."""
    return babel_numbers.format_percent(value, locale=locale(language), decimal_quantization=False)
