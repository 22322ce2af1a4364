"""How long does a 5,000-event calendar take to turn into busy time, and what does its busy time
cost availability?

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/acus_bench_calendars \\
        .venv/bin/python -m bench.calendar_busy

(1) builds one ICS payload of 5,000 VEVENTs (seeded, so every run reads the same calendar):
singles spread over a year from today (London TZID, UTC and floating times, a few transparent or
cancelled), weekly series with EXDATEs and moved occurrences (RECURRENCE-ID overrides, which
count among the 5,000), and all-day events (one to three days); then times
calendars.busy.busy_intervals over the booking horizon (60 days from now): parse + expand +
merge, warm-ups first. (2) makes its own clinic (created once, slug acus-bench-calendars) with
five practitioners working every day 08:00-18:00, and times booking.selectors.available_slots
over 28 days for one practitioner and for "any" of the five, first with no busy ranges, then
with the calendar's ranges stored for the first practitioner (a Connection and its BusyRange
rows, written directly, as the sync would). Needs only migrate in its own database (created if
missing). Writes bench/results/calendar_busy-<time>.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from bench.common import ensure_database, load_average, migrate, setup_django, summary_ms, write_result

setup_django()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from booking.models import AppointmentType, Clinic, Practitioner, WorkingHours  # noqa: E402
from booking.selectors import available_slots  # noqa: E402
from calendars.busy import read_busy  # noqa: E402
from calendars.models import BusyRange, Connection  # noqa: E402

SLUG = "acus-bench-calendars"
LONDON = ZoneInfo("Europe/London")
EVENTS = 5000
HORIZON = timedelta(days=60)
SLOT_DAYS = 28
PRACTITIONERS = 5


def _stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def build_calendar(today: date, *, seed: int = 20) -> bytes:
    """5,000 VEVENT components, most of them history as in a real calendar: 4,350 singles from
    three years back to one ahead, 150 weekly series of 10-52 weeks begun in the last two years,
    each with 2 EXDATEs and 2 moved occurrences (450 components), 200 all-day events (half of
    them free, as Google makes all-day events by default)."""
    rnd = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Acus bench//EN", "X-WR-TIMEZONE:Europe/London"]

    def vevent(uid: str, *props: str) -> None:
        lines.extend(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *props, "END:VEVENT"])

    def local_start(day: date) -> datetime:
        return datetime.combine(day, time(rnd.randrange(7, 20), rnd.choice((0, 15, 30, 45))))

    for n in range(4350):
        begins = local_start(today + timedelta(days=rnd.randrange(-1095, 365)))
        ends = begins + timedelta(minutes=rnd.choice((15, 30, 45, 60, 90, 120)))
        style = rnd.random()
        if style < 0.6:
            timing = [f"DTSTART;TZID=Europe/London:{_stamp(begins)}", f"DTEND;TZID=Europe/London:{_stamp(ends)}"]
        elif style < 0.9:
            utc = begins.replace(tzinfo=LONDON).astimezone(UTC)
            timing = [f"DTSTART:{_stamp(utc)}Z", f"DURATION:PT{int((ends - begins).total_seconds() // 60)}M"]
        else:
            timing = [f"DTSTART:{_stamp(begins)}", f"DTEND:{_stamp(ends)}"]  # floating
        extra = ["TRANSP:TRANSPARENT"] if n % 40 == 0 else ["STATUS:CANCELLED"] if n % 50 == 1 else []
        vevent(f"single-{n}@bench", "SUMMARY:Busy", *timing, *extra)
    for n in range(150):
        first = local_start(today - timedelta(days=rnd.randrange(730)))
        ends = first + timedelta(minutes=rnd.choice((30, 60, 90)))
        count = rnd.randrange(10, 53)
        weeks = [first + timedelta(weeks=w) for w in range(1, count)]
        gone, moved = rnd.sample(weeks, 2), rnd.sample(weeks, 2)
        vevent(
            f"weekly-{n}@bench",
            "SUMMARY:Weekly",
            f"DTSTART;TZID=Europe/London:{_stamp(first)}",
            f"DTEND;TZID=Europe/London:{_stamp(ends)}",
            f"RRULE:FREQ=WEEKLY;COUNT={count}",
            "EXDATE;TZID=Europe/London:" + ",".join(_stamp(d) for d in gone),
        )
        for was in moved:
            to = was + timedelta(days=1, hours=1)
            vevent(
                f"weekly-{n}@bench",
                "SEQUENCE:1",
                f"RECURRENCE-ID;TZID=Europe/London:{_stamp(was)}",
                f"DTSTART;TZID=Europe/London:{_stamp(to)}",
                f"DTEND;TZID=Europe/London:{_stamp(to + (ends - first))}",
            )
    for n in range(200):
        day = today + timedelta(days=rnd.randrange(-1095, 365))
        vevent(
            f"day-{n}@bench",
            "TRANSP:TRANSPARENT" if n % 2 else "TRANSP:OPAQUE",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=rnd.choice((1, 1, 1, 2, 3))):%Y%m%d}",
        )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _clinic() -> tuple[AppointmentType, list[Practitioner]]:
    clinic, _ = Clinic.objects.get_or_create(
        slug=SLUG,
        defaults={"name": "Calendar bench clinic", "time_zone": "Europe/London", "jurisdiction": "GB"},
    )
    kind, _ = AppointmentType.objects.get_or_create(
        clinic=clinic, name="Treatment", defaults={"duration_minutes": 45, "buffer_after_minutes": 10}
    )
    team = list(Practitioner.objects.filter(clinics=clinic).order_by("id"))
    run = uuid.uuid4().hex[:8]
    while len(team) < PRACTITIONERS:
        user = User.objects.create_user(f"bench-cal-{run}-{len(team)}@example.com", role=User.Role.PRACTITIONER)
        practitioner = Practitioner.objects.create(user=user, display_name=f"Bench practitioner {len(team) + 1}")
        practitioner.clinics.add(clinic)
        practitioner.appointment_types.add(kind)
        WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=practitioner, clinic=clinic, weekday=d, start=time(8), end=time(18))
            for d in range(7)
        )
        team.append(practitioner)
    return AppointmentType.objects.select_related("clinic").get(pk=kind.pk), team


def _timed(call: Callable[[], Any], rounds: int, warmups: int) -> tuple[dict[str, float], int, Any]:
    seconds: list[float] = []
    queries, result = 0, None
    for i in range(warmups + rounds):
        with CaptureQueriesContext(connection) as ctx:
            began = clock.perf_counter()
            result = call()
            elapsed = clock.perf_counter() - began
        if i >= warmups:
            seconds.append(elapsed)
            queries = max(queries, len(ctx.captured_queries))
    return summary_ms(seconds), queries, result


def time_slots(
    kind: AppointmentType, team: list[Practitioner], *, now: datetime, calls: int, warmups: int, label: str
) -> dict[str, dict[str, Any]]:
    """available_slots over SLOT_DAYS from tomorrow, for the first practitioner and for "any" of
    the team: median, p95, queries and slots per case (bench.calendar_sync times the same)."""
    start = datetime.combine(now.date() + timedelta(days=1), time(0), kind.clinic.zone)
    end = start + timedelta(days=SLOT_DAYS)
    rows: dict[str, dict[str, Any]] = {}
    for who, name in ((team[0], "one"), (None, f"any of {PRACTITIONERS}")):

        def call(who: Practitioner | None = who) -> Any:
            return available_slots(appointment_type=kind, practitioner=who, start=start, end=end, now=now)

        ms, queries, offered = _timed(call, calls, warmups)
        rows[f"{label}, {name}"] = {"ms": ms, "queries": queries, "slots": len(offered)}
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="timed calls of busy_intervals (and 5x for slots)")
    parser.add_argument("--warmups", type=int, default=2)
    args = parser.parse_args(argv)
    ensure_database()
    migrate()
    now = timezone.now()
    payload = build_calendar(now.date())
    load_before = load_average()

    def read() -> Any:
        return read_busy([payload], start=now, end=now + HORIZON, zone=LONDON)

    parse_ms, _, busy = _timed(read, args.rounds, args.warmups)
    parse_only, _, _ = _timed(lambda: icalendar.Calendar.from_ical(payload), args.rounds, args.warmups)
    print(f"calendar: {len(payload) / 1024:.0f} KiB, {busy.events} VEVENTs, {busy.skipped} skipped")
    print(f"busy_intervals over {HORIZON.days} days: median {parse_ms['median']:.0f} ms, p95 {parse_ms['p95']:.0f} ms")
    print(f"  of which icalendar's parse alone: median {parse_only['median']:.0f} ms")
    print(f"  -> {len(busy.intervals)} merged busy ranges")

    kind, team = _clinic()
    Connection.objects.filter(practitioner__in=team).delete()  # an earlier run's ranges
    rows: dict[str, dict[str, Any]] = {}
    calls = args.rounds * 5
    rows.update(time_slots(kind, team, now=now, calls=calls, warmups=args.warmups, label="no external events"))
    calendar = Connection.objects.create(
        practitioner=team[0],
        kind=Connection.Kind.ICS,
        name="Bench",
        host="calendar.example.com",
        secret="-",  # noqa: S106 - never opened
    )
    BusyRange.objects.bulk_create(
        BusyRange(connection=calendar, practitioner=team[0], start=i.start, end=i.end) for i in busy.intervals
    )
    label = f"{len(busy.intervals)} busy ranges"
    rows.update(time_slots(kind, team, now=now, calls=calls, warmups=args.warmups, label=label))
    print(f"available_slots over {SLOT_DAYS} days ({args.rounds * 5} calls after {args.warmups} warm-ups):")
    print(f"{'case':<36}{'median':>8}{'p95':>8}{'queries':>9}{'slots':>7}")
    for label, row in rows.items():
        print(f"{label:<36}{row['ms']['median']:>8.1f}{row['ms']['p95']:>8.1f}{row['queries']:>9}{row['slots']:>7}")
    print(f"load average before {load_before}, after {load_average()} (other work skews the figures)")
    path = write_result(
        "calendar_busy",
        {
            "command": "python -m bench.calendar_busy " + " ".join(argv if argv is not None else sys.argv[1:]),
            "calendar_bytes": len(payload),
            "events": busy.events,
            "busy_ranges": len(busy.intervals),
            "busy_intervals_ms": parse_ms,
            "slots": rows,
            "parse_only_ms": parse_only,
            "load_average_before": load_before,
            "load_average_after": load_average(),
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
