"""`python -m bench.load`: options, the phases (one, or baseline and head side by side), the result file."""

from __future__ import annotations

import argparse
import signal
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.db import connection

from bench.common import BENCH_THROTTLES, CLINIC_SLUG, RESULTS_DIR, load_average, migrate, wait_for_quiet, write_result
from bench.http_booking.data import release_bench_holds, tokens_for_patients
from bench.http_booking.server import _sigterm, gunicorn
from bench.http_booking.warm_up import warm_up
from bench.load import __doc__ as DOC
from bench.load import spy
from bench.load.baseline import baseline_checkout, resolve
from bench.load.report import print_comparison, print_profile, print_table
from bench.load.run import run_load
from booking.models import Clinic


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=50, help="concurrent simulated patients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds the patients keep starting requests")
    parser.add_argument(
        "--ramp", type=float, default=0.0, help="seconds of the same load first, not counted (the steady state)"
    )
    parser.add_argument(
        "--keep-free",
        type=float,
        default=0.0,
        help="release the phase's holds once this many seconds old, so the calendar does not fill up",
    )
    parser.add_argument("--hard-limit", type=float, default=120.0, help="seconds after which a load phase ends")
    parser.add_argument("--procs", "--workers", dest="procs", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--days", type=int, default=28, help="slot windows lie within this many days")
    parser.add_argument("--window-days", type=int, default=3)
    parser.add_argument("--book", type=float, default=0.3, help="probability of POSTing a returned slot")
    parser.add_argument("--any-practitioner", type=float, default=0.5, help="probability of practitioner=any")
    parser.add_argument("--list", type=float, default=0.2, help="probability of GET /appointments per visit")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause in seconds between visits")
    parser.add_argument("--rng-seed", type=int, default=11)
    parser.add_argument("--redis-url", help="give gunicorn a REDIS_URL (cache and throttles shared by workers)")
    parser.add_argument("--settings-throttles", action="store_true", help="keep the settings' rates (429s likely)")
    parser.add_argument("--baseline", metavar="REV", help="also serve REV (a git revision) and compare side by side")
    parser.add_argument("--rounds", type=int, default=2, help="with --baseline: rounds (A B B A order)")
    parser.add_argument("--profile", metavar="DIR", type=Path, help="run gunicorn under pyinstrument, profiles to DIR")
    parser.add_argument("--spy", metavar="FILE", type=Path, help="py-spy the gunicorn process tree, raw stacks to FILE")
    parser.add_argument("--quiet-load", type=float, default=0.0, help="first wait until the 1-min load is below this")
    parser.add_argument("--quiet-wait", type=float, default=300.0)
    args = parser.parse_args(argv)
    if args.redis_url and not args.redis_url.startswith("redis://127.0.0.1"):
        raise SystemExit("--redis-url must be a redis://127.0.0.1... address")
    if not 0 < args.duration <= args.hard_limit or args.window_days >= args.days or min(args.ramp, args.keep_free) < 0:
        raise SystemExit(
            "need 0 < --duration <= --hard-limit, --window-days < --days, --ramp >= 0 and --keep-free >= 0"
        )
    if args.baseline and (args.profile or args.spy):
        raise SystemExit("--profile and --spy profile this checkout only: leave out --baseline")
    return args


def vacuum() -> None:
    """Clear the dead rows earlier phases left. A PostgreSQL with autovacuum off (this machine's:
    `SHOW autovacuum`) otherwise hands every phase the dead versions of all before it: after four
    phases booking_scheduleversion held 6,607 dead rows beside its 20 live ones, and each phase
    ran slower than the one before, so whichever side ran later lost."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def phase(
    label: str, code_dir: Path | None, clinic: Clinic, tokens: dict[int, str], args: argparse.Namespace
) -> dict[str, Any]:
    """Start gunicorn on `code_dir` (None: this checkout), warm it up, load it, stop it."""
    release_bench_holds(clinic)  # every phase starts from the seeded calendar
    vacuum()
    connection.close()
    env = {} if args.settings_throttles else dict(BENCH_THROTTLES)
    app = "config.wsgi:application"
    if args.profile:
        env["ACUS_PROFILE_DIR"] = str(args.profile.resolve())
        app = "bench.profiled_wsgi:application"
    log_path = RESULTS_DIR / f"gunicorn-load-{label}.log"
    extra = {"code_dir": code_dir} if code_dir else {}
    print(f"--- {label}: load average {load_average()}")
    with gunicorn(args.procs, args.redis_url, log_path, 60, app=app, env=env, **extra) as server:
        warm = warm_up(server.port, clinic, tokens, args.procs)
        print(f"warm-up: {warm['statuses']}")
        with spy.sampling(server.pid, args.spy) if args.spy else nullcontext():
            load = run_load(server, clinic, tokens, args)
    if args.spy:
        load["py_spy"] = spy.summarize(args.spy)
        print_profile(load["py_spy"])
    load["label"] = label
    load["server_log_tracebacks"] = log_path.read_text().count("Traceback")
    load["load_average_after"] = load_average()
    release_bench_holds(clinic)
    print_table(load)
    return load


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _sigterm)
    migrate()
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        raise SystemExit("the bench clinic is missing: run `.venv/bin/python -m bench.seed` first")
    tokens = tokens_for_patients(clinic)
    if len(tokens) < args.patients:
        raise SystemExit(f"only {len(tokens)} seeded patients, fewer than --patients {args.patients}")
    connection.close()

    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait)
    result: dict[str, Any] = {
        "command": "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:]),
        "waited_for_quiet": quiet if args.quiet_load else None,
        "workers": args.procs,
        "redis": bool(args.redis_url),
        "throttles": "settings" if args.settings_throttles else BENCH_THROTTLES,
        "load_average_before": load_average(),
    }
    print(f"load average before: {result['load_average_before']}")
    try:
        if args.baseline:
            result["baseline_revision"] = resolve(args.baseline)
            with baseline_checkout(args.baseline) as old:
                phases = []
                for n in range(args.rounds):
                    # Baseline first in odd rounds, head first in even ones (A B B A): this
                    # machine's speed drifts through a run (bench/README, machine B), and a
                    # fixed order handed the drift to whichever side always ran second.
                    sides = [("baseline", old), ("head", None)]
                    for side, code in sides if n % 2 == 0 else sides[::-1]:
                        phases.append(phase(f"{side}-{n + 1}", code, clinic, tokens, args))
            result["phases"] = phases
        else:
            result["load"] = phase("head", None, clinic, tokens, args)
    finally:
        release_bench_holds(clinic)
    result["load_average_after"] = load_average()
    phases = result.get("phases") or [result["load"]]
    if args.baseline:
        result["comparison"] = print_comparison(phases)
    print(f"load average before {result['load_average_before']}, after {result['load_average_after']}")
    path = write_result("load", result)
    print(f"written: {path}")
    ok = all(p["verdict"] == "PASS" and p["server_log_tracebacks"] == 0 for p in phases)
    print(f"verdict: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
