"""Calendar data to busy time (calendars.busy): pure, hand-written ICS, no database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from booking.availability import Interval
from calendars.busy import BusyParseError, busy_intervals, read_busy

LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
AUCKLAND = ZoneInfo("Pacific/Auckland")
FROM = datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = datetime(2027, 1, 1, tzinfo=UTC)

LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def ics(*events: str, head: str = "") -> bytes:
    """A calendar of the given components, with CRLF line ends as servers send them."""
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + head + "".join(events) + "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode()


def event(uid: str, *lines: str) -> str:
    return (
        "BEGIN:VEVENT\nUID:"
        + uid
        + "\nDTSTAMP:20260101T000000Z\n"
        + "".join(f"{line}\n" for line in lines)
        + "END:VEVENT\n"
    )


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def span(start: str, end: str) -> Interval:
    return Interval(utc(start), utc(end))


def busy(
    *payloads: bytes,
    zone: ZoneInfo = LONDON,
    start: datetime = FROM,
    end: datetime = UNTIL,
    own: Callable[[str], bool] | None = None,
) -> list[Interval]:
    return busy_intervals(payloads, start=start, end=end, zone=zone, own=own)


def test_a_single_event_in_utc_is_busy() -> None:
    cal = ics(event("a", "DTSTART:20260610T090000Z", "DTEND:20260610T100000Z"))
    assert busy(cal) == [span("2026-06-10T09:00", "2026-06-10T10:00")]


def test_the_answer_is_in_utc() -> None:
    cal = ics(event("a", "DTSTART;TZID=Europe/London:20260610T090000", "DTEND;TZID=Europe/London:20260610T100000"))
    [found] = busy(cal)
    assert found.start.utcoffset() is not None and found.start.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert found == span("2026-06-10T08:00", "2026-06-10T09:00")


def test_a_tzid_with_its_vtimezone_is_read_in_that_zone() -> None:
    cal = ics(
        event("a", "DTSTART;TZID=Europe/London:20260115T090000", "DTEND;TZID=Europe/London:20260115T093000"),
        event("b", "DTSTART;TZID=Europe/London:20260715T090000", "DTEND;TZID=Europe/London:20260715T093000"),
        head=LONDON_VTIMEZONE,
    )
    assert busy(cal) == [span("2026-01-15T09:00", "2026-01-15T09:30"), span("2026-07-15T08:00", "2026-07-15T08:30")]


def test_a_weekly_event_keeps_its_london_time_across_the_spring_change_with_one_moved_and_one_cancelled() -> None:
    # Thursdays 09:00-10:00 London from 19 March 2026; clocks go forward on Sunday 29 March.
    cal = ics(
        event(
            "weekly",
            "DTSTART;TZID=Europe/London:20260319T090000",
            "DTEND;TZID=Europe/London:20260319T100000",
            "RRULE:FREQ=WEEKLY;COUNT=6",
        ),
        # 26 March (GMT) moved to Friday 27 March 14:00-15:00.
        event(
            "weekly",
            "RECURRENCE-ID;TZID=Europe/London:20260326T090000",
            "DTSTART;TZID=Europe/London:20260327T140000",
            "DTEND;TZID=Europe/London:20260327T150000",
            "SEQUENCE:1",
        ),
        # 9 April (BST) cancelled.
        event(
            "weekly",
            "RECURRENCE-ID;TZID=Europe/London:20260409T090000",
            "DTSTART;TZID=Europe/London:20260409T090000",
            "DTEND;TZID=Europe/London:20260409T100000",
            "STATUS:CANCELLED",
            "SEQUENCE:1",
        ),
        head=LONDON_VTIMEZONE,
    )
    assert busy(cal) == [
        span("2026-03-19T09:00", "2026-03-19T10:00"),
        span("2026-03-27T14:00", "2026-03-27T15:00"),
        span("2026-04-02T08:00", "2026-04-02T09:00"),
        span("2026-04-16T08:00", "2026-04-16T09:00"),
        span("2026-04-23T08:00", "2026-04-23T09:00"),
    ]


def test_a_daily_event_moves_back_to_gmt_after_the_autumn_change() -> None:
    cal = ics(
        event(
            "daily",
            "DTSTART;TZID=Europe/London:20261023T090000",
            "DTEND;TZID=Europe/London:20261023T093000",
            "RRULE:FREQ=DAILY;UNTIL=20261026T235959Z",
        )
    )
    assert busy(cal) == [
        span("2026-10-23T08:00", "2026-10-23T08:30"),
        span("2026-10-24T08:00", "2026-10-24T08:30"),
        span("2026-10-25T09:00", "2026-10-25T09:30"),
        span("2026-10-26T09:00", "2026-10-26T09:30"),
    ]


def test_an_event_across_the_change_itself_lasts_its_real_length() -> None:
    # 00:30 GMT to 03:30 BST on 29 March is two real hours, and the same night
    # in October (01:30 BST to 01:30 GMT) one hour.
    cal = ics(
        event("spring", "DTSTART;TZID=Europe/London:20260329T003000", "DTEND;TZID=Europe/London:20260329T033000"),
        event("autumn", "DTSTART;TZID=Europe/London:20261025T003000", "DURATION:PT2H"),
    )
    assert busy(cal) == [
        span("2026-03-29T00:30", "2026-03-29T02:30"),
        span("2026-10-24T23:30", "2026-10-25T01:30"),
    ]


def test_a_recurring_night_event_keeps_its_exact_length_on_the_spring_night() -> None:
    # RFC 5545: the DTEND - DTSTART of a recurring event is an exact duration for every instance.
    cal = ics(
        event(
            "nightly",
            "DTSTART;TZID=Europe/London:20260328T003000",
            "DTEND;TZID=Europe/London:20260328T033000",
            "RRULE:FREQ=DAILY;COUNT=3",
        )
    )
    # The wall clock would end the 29 March one at 03:30 BST (02:30Z), an hour short.
    assert busy(cal) == [
        span("2026-03-28T00:30", "2026-03-28T03:30"),
        span("2026-03-29T00:30", "2026-03-29T03:30"),
        span("2026-03-29T23:30", "2026-03-30T02:30"),
    ]


def test_exdate_removes_an_occurrence_and_rdate_adds_one() -> None:
    cal = ics(
        event(
            "r",
            "DTSTART:20260601T100000Z",
            "DTEND:20260601T110000Z",
            "RRULE:FREQ=DAILY;COUNT=3",
            "EXDATE:20260602T100000Z",
            "RDATE:20260610T100000Z",
        )
    )
    assert busy(cal) == [
        span("2026-06-01T10:00", "2026-06-01T11:00"),
        span("2026-06-03T10:00", "2026-06-03T11:00"),
        span("2026-06-10T10:00", "2026-06-10T11:00"),
    ]


def test_x_wr_timezone_keeps_a_utc_series_on_the_calendar_s_wall_clock() -> None:
    # Google writes a London calendar's weekly 09:00 as 09:00Z in winter, with X-WR-TIMEZONE.
    cal = ics(
        event("g", "DTSTART:20260319T090000Z", "DTEND:20260319T100000Z", "RRULE:FREQ=WEEKLY;COUNT=3"),
        head="X-WR-TIMEZONE:Europe/London\n",
    )
    assert busy(cal) == [
        span("2026-03-19T09:00", "2026-03-19T10:00"),
        span("2026-03-26T09:00", "2026-03-26T10:00"),
        span("2026-04-02T08:00", "2026-04-02T09:00"),
    ]


def test_an_all_day_event_blocks_the_whole_local_day_in_los_angeles() -> None:
    cal = ics(event("d", "DTSTART;VALUE=DATE:20260610", "DTEND;VALUE=DATE:20260611"))
    assert busy(cal, zone=LOS_ANGELES) == [span("2026-06-10T07:00", "2026-06-11T07:00")]


def test_a_multi_day_all_day_event_in_auckland_spans_local_midnights_across_its_dst_change() -> None:
    # New Zealand leaves daylight time on Sunday 5 April 2026 (+13 to +12).
    cal = ics(event("trip", "DTSTART;VALUE=DATE:20260404", "DTEND;VALUE=DATE:20260407"))
    assert busy(cal, zone=AUCKLAND) == [span("2026-04-03T11:00", "2026-04-06T12:00")]


def test_an_all_day_event_without_an_end_is_one_day() -> None:
    cal = ics(event("d", "DTSTART;VALUE=DATE:20260610"))
    assert busy(cal, zone=LOS_ANGELES) == [span("2026-06-10T07:00", "2026-06-11T07:00")]


def test_a_recurring_all_day_event_blocks_each_local_day() -> None:
    cal = ics(event("d", "DTSTART;VALUE=DATE:20260601", "RRULE:FREQ=WEEKLY;COUNT=2"))
    assert busy(cal, zone=AUCKLAND) == [
        span("2026-05-31T12:00", "2026-06-01T12:00"),
        span("2026-06-07T12:00", "2026-06-08T12:00"),
    ]


def test_a_floating_time_is_read_in_the_practitioner_s_zone() -> None:
    cal = ics(event("f", "DTSTART:20260610T090000", "DTEND:20260610T100000"))
    assert busy(cal, zone=LOS_ANGELES) == [span("2026-06-10T16:00", "2026-06-10T17:00")]
    assert busy(cal, zone=AUCKLAND) == [span("2026-06-09T21:00", "2026-06-09T22:00")]


def test_a_duration_gives_the_end() -> None:
    cal = ics(event("d", "DTSTART:20260610T090000Z", "DURATION:PT1H30M"))
    assert busy(cal) == [span("2026-06-10T09:00", "2026-06-10T10:30")]


def test_a_timed_event_with_no_end_and_no_duration_takes_no_time() -> None:
    cal = ics(event("point", "DTSTART:20260610T090000Z"))
    assert busy(cal) == []


def test_transparent_events_are_free() -> None:
    cal = ics(
        event("free", "DTSTART:20260610T090000Z", "DTEND:20260610T100000Z", "TRANSP:TRANSPARENT"),
        event("busy", "DTSTART:20260610T120000Z", "DTEND:20260610T130000Z", "TRANSP:OPAQUE"),
    )
    assert busy(cal) == [span("2026-06-10T12:00", "2026-06-10T13:00")]


def test_cancelled_events_are_free() -> None:
    cal = ics(event("gone", "DTSTART:20260610T090000Z", "DTEND:20260610T100000Z", "STATUS:CANCELLED"))
    assert busy(cal) == []


def test_acus_s_own_visit_copies_are_left_out() -> None:
    cal = ics(
        event("acus-visit-7@acus.example", "DTSTART:20260610T090000Z", "DTEND:20260610T100000Z"),
        event("dentist@example.com", "DTSTART:20260610T120000Z", "DTEND:20260610T130000Z"),
    )
    mine = busy(cal, own=lambda uid: uid.startswith("acus-visit-"))
    assert mine == [span("2026-06-10T12:00", "2026-06-10T13:00")]
    assert len(busy(cal)) == 2


def test_todos_and_journals_are_not_busy() -> None:
    cal = ics(
        "BEGIN:VTODO\nUID:t\nDTSTART:20260610T090000Z\nDUE:20260610T100000Z\nEND:VTODO\n",
        "BEGIN:VJOURNAL\nUID:j\nDTSTART:20260610T090000Z\nEND:VJOURNAL\n",
    )
    assert busy(cal) == []


def test_freebusy_periods_count_unless_free() -> None:
    cal = ics(
        "BEGIN:VFREEBUSY\n"
        "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260610T090000Z/20260610T100000Z,20260611T090000Z/PT30M\n"
        "FREEBUSY:20260612T090000Z/20260612T100000Z\n"
        "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20260613T090000Z/20260613T100000Z\n"
        "FREEBUSY;FBTYPE=FREE:20260614T090000Z/20260614T100000Z\n"
        "END:VFREEBUSY\n"
    )
    assert busy(cal) == [
        span("2026-06-10T09:00", "2026-06-10T10:00"),
        span("2026-06-11T09:00", "2026-06-11T09:30"),
        span("2026-06-12T09:00", "2026-06-12T10:00"),
        span("2026-06-13T09:00", "2026-06-13T10:00"),
    ]


def test_overlapping_and_touching_spans_are_merged_across_calendars_and_sorted() -> None:
    first = ics(
        event("late", "DTSTART:20260610T150000Z", "DTEND:20260610T160000Z"),
        event("a", "DTSTART:20260610T090000Z", "DTEND:20260610T100000Z"),
    )
    second = ics(
        event("b", "DTSTART:20260610T093000Z", "DTEND:20260610T103000Z"),
        event("c", "DTSTART:20260610T103000Z", "DTEND:20260610T110000Z"),
        event("d", "DTSTART:20260610T111500Z", "DTEND:20260610T113000Z"),
    )
    assert busy(first, second) == [
        span("2026-06-10T09:00", "2026-06-10T11:00"),
        span("2026-06-10T11:15", "2026-06-10T11:30"),
        span("2026-06-10T15:00", "2026-06-10T16:00"),
    ]


def test_only_the_asked_range_is_returned_and_spans_are_cut_to_it() -> None:
    cal = ics(
        event("before", "DTSTART:20260609T090000Z", "DTEND:20260609T100000Z"),
        event("across", "DTSTART:20260609T230000Z", "DTEND:20260610T010000Z"),
        event("after", "DTSTART:20260611T090000Z", "DTEND:20260611T100000Z"),
        event("endless", "DTSTART:20260101T090000Z", "DTEND:20260101T100000Z", "RRULE:FREQ=DAILY"),
    )
    found = busy(cal, start=utc("2026-06-10T00:00"), end=utc("2026-06-11T00:00"))
    assert found == [span("2026-06-10T00:00", "2026-06-10T01:00"), span("2026-06-10T09:00", "2026-06-10T10:00")]


def test_one_unreadable_event_is_skipped_and_counted_and_the_others_kept() -> None:
    cal = ics(
        event("bad-start", "DTSTART:not-a-time", "DTEND:20260610T100000Z"),
        event("bad-rule", "DTSTART:20260610T110000Z", "DTEND:20260610T120000Z", "RRULE:FREQ=SOMETIMES"),
        event("no-start", "DTEND:20260610T100000Z"),
        event("good", "DTSTART:20260610T130000Z", "DTEND:20260610T140000Z"),
    )
    result = read_busy([cal], start=FROM, end=UNTIL, zone=LONDON)
    assert result.intervals == [span("2026-06-10T13:00", "2026-06-10T14:00")]
    assert (result.events, result.skipped) == (4, 3)


@pytest.mark.parametrize(
    "payload",
    [b"", b"<html><body>Sign in</body></html>", b"hello", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:cut-off\r\n"],
    ids=["empty", "html", "text", "truncated"],
)
def test_a_payload_that_is_not_a_calendar_is_refused(payload: bytes) -> None:
    with pytest.raises(BusyParseError) as raised:
        busy(payload)
    assert "Sign in" not in str(raised.value)


def test_an_empty_calendar_is_no_busy_time() -> None:
    result = read_busy([ics()], start=FROM, end=UNTIL, zone=LONDON)
    assert (result.intervals, result.events, result.skipped) == ([], 0, 0)


def test_no_payloads_is_no_busy_time() -> None:
    assert busy() == []


def test_a_naive_range_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        busy_intervals([], start=datetime(2026, 1, 1), end=UNTIL, zone=LONDON)
