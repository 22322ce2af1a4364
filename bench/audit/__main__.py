"""The consent audit at 100,000 signed consents: seed them, then time the list and detail pages.

    .venv/bin/python -m bench.audit            # create acus_bench_audit if missing, migrate, seed once, measure
    .venv/bin/python -m bench.audit --reset    # drop and recreate the database first
    .venv/bin/python -m bench.audit --repeat 30

The database is BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/acus_bench_audit
(never DATABASE_URL). Target (issue 8): list and detail under 300 ms each.

The seed bypasses the services on purpose (100,000 signatures through sign_consent would take
an hour) but keeps what they guarantee: each consent's row_hash is computed with
consent.integrity.row_hash over the previous one, in sequence order, and the chain head is
set, so `manage.py verify_consents` passes on the seeded data. Consents are signed over about
two years by 20,000 patients (5 each, 3 % by a guardian), each for a one-hour needling visit
with one of 20 practitioners on a grid that never overlaps; 5 % are withdrawn; the first two
form versions are superseded by a material third. 20,000 access-log rows are added too.

Pages are timed through Django's test client with a verified clinic-admin session, so the
figure includes the middleware, the OTP check, the queries, template rendering and (for the
detail) the access-log insert: everything but the network.
"""

from __future__ import annotations

import argparse
import sys

from bench.audit import say
from bench.audit.measure import measure
from bench.audit.seed import seed
from bench.common import load_average, wait_for_quiet, write_result

TARGET_MS = 300.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per scenario (default 20)")
    parser.add_argument(
        "--max-load", type=float, default=1.5, help="wait (up to 10 minutes) for a 1-minute load below this; 0: no wait"
    )
    args = parser.parse_args(argv)
    seeded = seed(reset=args.reset)
    wait_for_quiet(args.max_load, 600)
    say(f"load average before measuring: {load_average()}")
    results = measure(args.repeat)
    slow = {name: r["p95"] for name, r in results.items() if isinstance(r, dict) and r.get("p95", 0) > TARGET_MS}
    path = write_result(
        "audit",
        {
            "command": "python -m bench.audit" + (" --reset" if args.reset else ""),
            "seed": seeded,
            "target_ms": TARGET_MS,
            "load_average": load_average(),
            "results": results,
            "over_target_p95": slow,
        },
    )
    say(f"results written to {path}")
    if slow:
        say(f"over the {TARGET_MS:.0f} ms target at p95: {slow}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
