"""How fast is booking.selectors.available_slots on the seeded clinic?

    .venv/bin/python -m bench.seed          # once
    .venv/bin/python -m bench.slots         # 5 warm-ups, then 50 timed calls per case

Cases, for each of the three treatments, over the next 28 days from now:
  (a) one practitioner  -> target: median < 20 ms with <= 5 queries
  (b) "any" practitioner (practitioner=None, all 20) -> target: median < 100 ms

Each call is timed with time.perf_counter() inside django.test.utils.CaptureQueriesContext,
which also gives the query count and the time the database spent. The appointment type
(with its clinic) and the practitioner are loaded once beforehand, as a view would.
DEBUG is on (so queries are recorded); figures with DEBUG off are a little lower.
Writes bench/results/slots-<time>.json and slots-latest.json.

--profile CASE writes a cProfile of that case (a or b) to bench/results/ and prints the
top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time as clock
from datetime import timedelta
from typing import Any

from bench.common import (
    CLINIC_SLUG,
    RESULTS_DIR,
    load_average,
    migrate,
    setup_django,
    summary_ms,
    wait_for_quiet,
    write_result,
)

setup_django()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from booking.models import AppointmentType, Clinic, Practitioner  # noqa: E402
from booking.selectors import available_slots  # noqa: E402

TARGETS: dict[str, dict[str, Any]] = {
    "a": {"median_ms": 20.0, "max_queries": 5},
    "b": {"median_ms": 100.0, "max_queries": None},
}


def _load() -> tuple[list[AppointmentType], Practitioner]:
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        raise SystemExit("the bench clinic is missing: run `.venv/bin/python -m bench.seed` first")
    types = list(AppointmentType.objects.filter(clinic=clinic).select_related("clinic").order_by("position"))
    practitioner = Practitioner.objects.filter(clinics=clinic).order_by("id").first()
    assert practitioner is not None
    return types, practitioner


def measure(
    appointment_type: AppointmentType,
    practitioner: Practitioner | None,
    *,
    days: int,
    repetitions: int,
    warmups: int,
) -> dict[str, Any]:
    times: list[float] = []
    db_times: list[float] = []
    queries: list[int] = []
    slot_counts: list[int] = []
    for i in range(warmups + repetitions):
        now = timezone.now()
        with CaptureQueriesContext(connection) as ctx:
            began = clock.perf_counter()
            slots = available_slots(
                appointment_type=appointment_type,
                practitioner=practitioner,
                start=now,
                end=now + timedelta(days=days),
                now=now,
            )
            elapsed = clock.perf_counter() - began
        if i < warmups:
            continue
        times.append(elapsed)
        db_times.append(sum(float(q["time"]) for q in ctx.captured_queries))
        queries.append(len(ctx.captured_queries))
        slot_counts.append(len(slots))
    return {
        "appointment_type": appointment_type.name,
        "practitioner": practitioner.display_name if practitioner else "any",
        "days": days,
        "ms": summary_ms(times),
        "db_ms_median": round(statistics.median(db_times) * 1000, 2),
        "queries": {"min": min(queries), "max": max(queries)},
        "slots": {"min": min(slot_counts), "max": max(slot_counts)},
    }


def verdict(case: str, result: dict[str, Any]) -> str:
    target = TARGETS[case]
    ok = result["ms"]["median"] < target["median_ms"]
    if target["max_queries"] is not None:
        ok = ok and result["queries"]["max"] <= target["max_queries"]
    return "PASS" if ok else "FAIL"


def profile(case: str, appointment_type: AppointmentType, practitioner: Practitioner, days: int, calls: int) -> None:
    who = practitioner if case == "a" else None
    measure(appointment_type, who, days=days, repetitions=1, warmups=2)
    profiler = cProfile.Profile()
    now = timezone.now()
    profiler.enable()
    for _ in range(calls):
        available_slots(
            appointment_type=appointment_type, practitioner=who, start=now, end=now + timedelta(days=days), now=now
        )
    profiler.disable()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"slots-profile-{case}.pstats"
    profiler.dump_stats(str(path))
    print(f"\ncProfile of case ({case}), {calls} calls, {appointment_type.name}: {path}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=50)
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--profile", choices=["a", "b"], help="profile one case instead of timing")
    parser.add_argument("--profile-calls", type=int, default=20)
    parser.add_argument(
        "--quiet-load", type=float, default=0.0, help="first wait until the 1-min load average is below this"
    )
    parser.add_argument("--quiet-wait", type=float, default=600.0, help="seconds to wait for --quiet-load at most")
    args = parser.parse_args(argv)

    migrate()
    types, practitioner = _load()
    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait)
    if args.profile:
        profile(args.profile, types[1], practitioner, args.days, args.profile_calls)
        return 0

    load_before = load_average()
    rows = []
    for case in ("a", "b"):
        for kind in types:
            result = measure(
                kind,
                practitioner if case == "a" else None,
                days=args.days,
                repetitions=args.repetitions,
                warmups=args.warmups,
            )
            result["case"] = case
            result["verdict"] = verdict(case, result)
            rows.append(result)

    header = f"{'case':<5}{'treatment':<38}{'who':<24}{'median':>8}{'p95':>8}{'db':>7}{'queries':>9}{'slots':>7}  "
    print(f"available_slots over {args.days} days, {args.repetitions} calls after {args.warmups} warm-ups (ms)")
    print(header + "verdict")
    for r in rows:
        q = r["queries"]
        queries = str(q["max"]) if q["min"] == q["max"] else f"{q['min']}-{q['max']}"
        print(
            f"{r['case']:<5}{r['appointment_type']:<38}{r['practitioner']:<24}"
            f"{r['ms']['median']:>8.1f}{r['ms']['p95']:>8.1f}{r['db_ms_median']:>7.1f}"
            f"{queries:>9}{r['slots']['max']:>7}  {r['verdict']}"
        )
    print("targets: (a) median < 20 ms and <= 5 queries; (b) median < 100 ms")
    print(f"load average before {load_before}, after {load_average()} (other work skews the figures)")
    path = write_result(
        "slots",
        {
            "command": "python -m bench.slots " + " ".join(argv if argv is not None else sys.argv[1:]),
            "repetitions": args.repetitions,
            "warmups": args.warmups,
            "targets": TARGETS,
            "load_average_before": load_before,
            "waited_for_quiet": quiet if args.quiet_load else None,
            "load_average_after": load_average(),
            "results": rows,
        },
    )
    print(f"written: {path}")
    return 0 if all(r["verdict"] == "PASS" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
