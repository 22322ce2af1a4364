"""Busy time from calendar data: ICS payloads in, merged UTC spans out.

Pure: no Django and no database, so it is tested with plain strings. icalendar parses,
x-wr-timezone reads a calendar-wide X-WR-TIMEZONE as Google writes it, and recurring-ical-events
expands RRULE, RDATE, EXDATE and RECURRENCE-ID overrides (a moved or cancelled occurrence).

What counts as busy: every VEVENT occurrence in [start, end) that is opaque (not TRANSP:
TRANSPARENT), not cancelled and not one of Acus's own visit copies, and the busy periods of a
VFREEBUSY (some servers answer a time-range query that way). A DATE (all-day) event blocks the
whole local day in `zone`, and a time without a zone (floating) is read in `zone` too: both mean
"wherever the practitioner is", and the practitioner works in the clinic's zone.

One unreadable event (a DTSTART that is not a time, a broken RRULE) is skipped and counted, so
that it cannot hide the rest of the calendar; a payload that is not a calendar at all raises
BusyParseError, which the sync records as Connection.Failure.INVALID."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone

from booking.availability import Interval

__all__ = ["BusyParseError", "BusyRead", "busy_intervals", "read_busy"]

# The occurrences are asked for a day wider on each side, then cut to [start, end): the library
# compares floating and all-day times in whatever zone it meets first, which may not be `zone`.
_MARGIN = timedelta(days=1)
# A property that decides when an event happens: if one of these did not parse, the event is
# unreadable. A broken SUMMARY or LOCATION does not matter here.
_TIMING = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})
# Where _stash_exact_length keeps an event's length (an X- name no server sends).
_EXACT = "X-ACUS-EXACT-SECONDS"
_BUSY_TYPES = frozenset({"BUSY", "BUSY-UNAVAILABLE", "BUSY-TENTATIVE"})


class BusyParseError(ValueError):
    """The payload is not an iCalendar calendar (an HTML login page, a truncated download)."""


@dataclass(frozen=True)
class BusyRead:
    intervals: list[Interval]  # UTC, sorted, disjoint and not touching
    events: int  # VEVENT components and VFREEBUSY periods read
    skipped: int  # of those, unreadable and left out


def busy_intervals(
    calendars: Iterable[bytes],
    *,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    own: Callable[[str], bool] | None = None,
) -> list[Interval]:
    """The busy spans of `calendars` overlapping [start, end), cut to it. `own(uid)` says which
    events are Acus's own visit copies (calendars.uids.is_own_uid), to leave out."""
    return read_busy(calendars, start=start, end=end, zone=zone, own=own).intervals


def read_busy(
    calendars: Iterable[bytes],
    *,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    own: Callable[[str], bool] | None = None,
) -> BusyRead:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    window = _Window(start.astimezone(UTC), end.astimezone(UTC), zone)
    spans: list[tuple[datetime, datetime]] = []
    events = skipped = 0
    for payload in calendars:
        for calendar in _parse(payload):
            for read, bad, found in (_events(calendar, window, own), _free_busy(calendar, window)):
                events += read
                skipped += bad
                spans.extend(found)
    return BusyRead(_merge(spans), events, skipped)


@dataclass(frozen=True)
class _Window:
    start: datetime  # UTC
    end: datetime  # UTC
    zone: ZoneInfo

    def instant(self, value: date | datetime) -> datetime:
        """An iCalendar time as a UTC instant: a date is its local midnight in `zone`, a floating
        time is read in `zone`."""
        if not isinstance(value, datetime):
            value = datetime.combine(value, time(0))
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=self.zone)
        return value.astimezone(UTC)

    def cut(self, span_start: datetime, span_end: datetime) -> tuple[datetime, datetime] | None:
        span_start, span_end = max(span_start, self.start), min(span_end, self.end)
        return (span_start, span_end) if span_start < span_end else None


def _parse(payload: bytes) -> list[icalendar.Calendar]:
    try:
        components = icalendar.Calendar.from_ical(payload, multiple=True)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        # The library's message quotes the offending line: it might be a secret address.
        raise BusyParseError("the answer is not an iCalendar calendar") from exc
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if not calendars:
        raise BusyParseError("the answer holds no VCALENDAR")
    return calendars


def _events(
    calendar: icalendar.Calendar, window: _Window, own: Callable[[str], bool] | None
) -> tuple[int, int, list[tuple[datetime, datetime]]]:
    # An X-WR-TIMEZONE that names no zone leaves the times as written.
    with contextlib.suppress(ValueError, TypeError, KeyError):
        calendar = x_wr_timezone.to_standard(calendar)
    # One series per UID: an event and its RECURRENCE-ID overrides are read, or skipped, together.
    series: dict[str, list[Any]] = defaultdict(list)
    read = skipped = 0
    for component in calendar.walk("VEVENT"):
        read += 1
        if any(name in _TIMING for name, _ in component.errors) or "DTSTART" not in component:
            skipped += 1
            continue
        uid = str(component.get("UID", "")) or f"no-uid-{id(component)}"
        if own is not None and own(uid):
            continue
        _stash_exact_length(component, window)
        series[uid].append(recurring_ical_events.EventAdapter(component))
    lo, hi = window.start.astimezone(window.zone) - _MARGIN, window.end.astimezone(window.zone) + _MARGIN
    found: list[tuple[datetime, datetime]] = []
    for adapters in series.values():
        try:
            occurrences = list(recurring_ical_events.Series(adapters).between(lo, hi))
            spans = [span for o in occurrences if (span := _busy_span(o.as_component(False), window))]
        except Exception:  # any failure in one series must not lose the others
            skipped += len(adapters)
            continue
        found.extend(spans)
    return read, skipped, found


def _stash_exact_length(event: icalendar.cal.Component, window: _Window) -> None:
    """Keep a timed event's length as real seconds on the event itself (its occurrences are
    copies, so they carry it). The expansion adds the length to each start on the wall clock,
    which is an hour off for an occurrence that spans a DST change; RFC 5545 makes both DTEND's
    difference and DURATION's hours exact. DURATION's days stay nominal (P1D is 23 hours on the
    spring day): those events keep the expansion's end."""
    begins = _dt(event, "DTSTART")
    if not isinstance(begins, datetime):
        return
    if "DTEND" in event:
        ends = _dt(event, "DTEND")
        if isinstance(ends, datetime):
            seconds = (window.instant(ends) - window.instant(begins)).total_seconds()
            event[_EXACT] = str(max(0, int(seconds)))
    elif "DURATION" in event:
        length = _dt(event, "DURATION")
        if isinstance(length, timedelta) and length.days == 0:
            event[_EXACT] = str(max(0, int(length.total_seconds())))


def _busy_span(event: icalendar.cal.Component, window: _Window) -> tuple[datetime, datetime] | None:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    begins = window.instant(_dt(event, "DTSTART"))
    if _EXACT in event:
        ends = begins + timedelta(seconds=int(str(event[_EXACT])))
    else:
        ends = window.instant(_dt(event, "DTEND")) if "DTEND" in event else begins
    return window.cut(begins, ends)


def _free_busy(calendar: icalendar.Calendar, window: _Window) -> tuple[int, int, list[tuple[datetime, datetime]]]:
    read = skipped = 0
    found: list[tuple[datetime, datetime]] = []
    for component in calendar.walk("VFREEBUSY"):
        for period in _as_list(component.get("FREEBUSY")):
            read += 1
            try:
                begins, until = period.dt
                kind = str(period.params.get("FBTYPE", "BUSY")).upper()
                ends = begins + until if isinstance(until, timedelta) else until
                span = window.cut(window.instant(begins), window.instant(ends))
            except (AttributeError, TypeError, ValueError):
                skipped += 1
                continue
            if kind in _BUSY_TYPES and span:
                found.append(span)
    return read, skipped, found


def _dt(component: icalendar.cal.Component, name: str) -> Any:
    prop: Any = component[name]  # a vDDDTypes or vDuration once the parse found no error in it
    return prop.dt


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _merge(spans: Iterable[tuple[datetime, datetime]]) -> list[Interval]:
    """Sorted, with overlapping and touching spans joined: fewer rows to store and to subtract."""
    merged: list[list[datetime]] = []
    for span_start, span_end in sorted(spans):
        if merged and span_start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span_end)
        else:
            merged.append([span_start, span_end])
    return [Interval(s, e) for s, e in merged]
