"""The full sync of a 5,000-event calendar, and the slots query afterwards (issue 20).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/acus_bench_calendars \\
        .venv/bin/python -m bench.calendar_sync

Starts a real Radicale (tests/calendars/servers.py's Radicale, in a temporary folder) and loads
into one of its calendars the same 5,000-event calendar bench.calendar_busy builds (one PUT of
the whole VCALENDAR on the collection, which Radicale splits into one item per UID); serves the
same bytes as an ICS address (tests/calendars/servers.py's IcsServer). Then times
calendars.services.sync.sync_connection for each (fetch over HTTP + parse + expand + swap the
BusyRange rows; warm-ups first), with its queries, and booking.selectors.available_slots over
28 days for one practitioner and "any" of five with the CalDAV calendar's ranges stored, beside
the same query with no external events.

Both servers listen on loopback, which calendars.net refuses unless CALENDAR_ALLOW_PRIVATE_HOSTS
is on: this bench sets CALENDAR_ALLOW_PRIVATE_HOSTS=1 in its own environment before Django reads
its settings (never do that in production). DEBUG is on (bench.common), so the credentials are
sealed with the development key. Uses bench.calendar_busy's clinic (slug acus-bench-calendars)
in its own database (created if missing). Writes bench/results/calendar_sync-<time>.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time as clock
from pathlib import Path
from typing import Any

os.environ["CALENDAR_ALLOW_PRIVATE_HOSTS"] = "1"  # Radicale and the ICS server are on loopback

from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.calendar_busy import SLOT_DAYS, _clinic, build_calendar, time_slots
from bench.common import ensure_database, load_average, migrate, summary_ms, write_result
from booking.models import Practitioner
from calendars import secrets
from calendars.models import BusyRange, Connection
from calendars.services.sync import sync_connection
from tests.calendars.servers import IcsServer, Radicale


def _load_radicale(radicale: Radicale, payload: bytes) -> tuple[str, float, int]:
    """A fresh calendar holding the payload: its address, the upload's seconds, its item count."""
    url, _user, _password = radicale.new_calendar(name="Bench")
    began = clock.perf_counter()
    answer = radicale.http.request(
        "PUT",
        url,
        body=payload,
        headers={**radicale._headers(), "Content-Type": "text/calendar; charset=utf-8"},
    )
    seconds = clock.perf_counter() - began
    assert answer.status in (201, 204), (answer.status, answer.data[:500])
    items = len(list(Path(radicale.root, "collections", "collection-root", *url.split("/")[3:-1]).glob("*.ics")))
    return url, seconds, items


def _connection(practitioner: Practitioner, *, kind: str, url: str, username: str = "", password: str = "") -> int:
    """A connection as connect_caldav / connect_ics leave it (they would also discover and queue)."""
    row = Connection.objects.create(
        practitioner=practitioner,
        kind=kind,
        name=f"Bench {kind}",
        host="127.0.0.1",
        secret=secrets.seal({"url": url, "username": username, "password": password}),
    )
    return row.pk


def _time_sync(pk: int, rounds: int, warmups: int) -> dict[str, Any]:
    seconds: list[float] = []
    queries = 0
    for i in range(warmups + rounds):
        with CaptureQueriesContext(db) as ctx:
            began = clock.perf_counter()
            ok = sync_connection(pk)
            elapsed = clock.perf_counter() - began
        assert ok, Connection.objects.get(pk=pk).last_failure
        if i >= warmups:
            seconds.append(elapsed)
            queries = max(queries, len(ctx.captured_queries))
    return {
        "ms": summary_ms(seconds),
        "queries": queries,
        "busy_ranges": BusyRange.objects.filter(connection_id=pk).count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timed syncs of each calendar (10x for slots)")
    parser.add_argument("--warmups", type=int, default=1)
    args = parser.parse_args(argv)
    ensure_database()
    migrate()
    now = timezone.now()
    payload = build_calendar(now.date())
    kind, team = _clinic()
    Connection.objects.filter(practitioner__in=team).delete()  # an earlier run's ranges
    slots: dict[str, dict[str, Any]] = {}
    calls = args.rounds * 10
    load_before = load_average()
    slots.update(time_slots(kind, team, now=now, calls=calls, warmups=args.warmups, label="no external events"))
    with tempfile.TemporaryDirectory(prefix="acus-bench-radicale-") as folder:
        radicale, ics_server = Radicale(Path(folder)), IcsServer()
        radicale.start()
        ics_server.start()
        try:
            calendar_url, upload_s, items = _load_radicale(radicale, payload)
            print(f"calendar: {len(payload) / 1024:.0f} KiB; Radicale took {upload_s:.1f} s to store {items} items")
            ics = _connection(team[0], kind=Connection.Kind.ICS, url=ics_server.serve("/bench.ics", payload))
            syncs = {"ics": _time_sync(ics, args.rounds, args.warmups)}
            Connection.objects.filter(pk=ics).delete()  # the same ranges: one calendar for the slots
            caldav = _connection(
                team[0],
                kind=Connection.Kind.CALDAV,
                url=calendar_url,
                username="practitioner",
                password=radicale.password,
            )
            syncs["caldav"] = _time_sync(caldav, args.rounds, args.warmups)
        finally:
            ics_server.stop()
            radicale.stop()
    for name, row in syncs.items():
        ms = row["ms"]
        print(
            f"sync_connection ({name}): median {ms['median']:.0f} ms, p95 {ms['p95']:.0f} ms, "
            f"{row['queries']} queries, {row['busy_ranges']} busy ranges stored"
        )
    label = f"{syncs['caldav']['busy_ranges']} busy ranges from the sync"
    slots.update(time_slots(kind, team, now=now, calls=calls, warmups=args.warmups, label=label))
    print(f"available_slots over {SLOT_DAYS} days ({args.rounds * 10} calls after {args.warmups} warm-ups):")
    print(f"{'case':<48}{'median':>8}{'p95':>8}{'queries':>9}{'slots':>7}")
    for label, row in slots.items():
        print(f"{label:<48}{row['ms']['median']:>8.1f}{row['ms']['p95']:>8.1f}{row['queries']:>9}{row['slots']:>7}")
    print(f"load average before {load_before}, after {load_average()} (other work skews the figures)")
    path = write_result(
        "calendar_sync",
        {
            "command": "python -m bench.calendar_sync " + " ".join(argv if argv is not None else sys.argv[1:]),
            "calendar_bytes": len(payload),
            "radicale_items": items,
            "radicale_upload_s": upload_s,
            "syncs": syncs,
            "slots": slots,
            "load_average_before": load_before,
            "load_average_after": load_average(),
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
