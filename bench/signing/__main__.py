"""Consent signing in parallel: 20 signers spread over 10 clinics against 20 signers in one.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/acus_bench_signing \\
        .venv/bin/python -m bench.signing                # seed once, then both configurations
    .venv/bin/python -m bench.signing --reset --seed 2026 --per-signer 50 --repeat 2

The database is BENCH_DATABASE_URL (default acus_bench_signing; created and migrated if missing;
never DATABASE_URL). Seeding (once; --reset drops the database first, --seed fixes the names and
birth dates) makes --clinics clinics, each with the demo consent form and questionnaire published
through consent.demo, ten needling practitioners with a verified dry-needling credential and
--patients patients.

Each round (untimed set-up first) makes, for each signature, a held needling visit and the
patient's clear screening (booking.consent_flow.screen). Then --signers processes start, each
with its own Django and database connection, sign --warmups visits untimed, wait at a common
start and sign --per-signer visits one after another through
booking.consent_flow.sign_for_appointment: the whole transaction a patient's "Sign" causes (the
visit locked, the form and screening re-checked, the text rendered and hashed, the signature
appended to the clinic's chain under its head's row lock, the visit linked and confirmed, the
outbox rows written). Processes, not threads: the GIL would serialise the Python work of threads
in one process. Not over HTTP: gunicorn's sync workers (4 in bench.load) would admit only as many
signings at a time as there are workers, so the queue would form in gunicorn, not at the lock.

  spread  signer n signs in clinic n mod --clinics (20 over 10: two signers per clinic)
  one     every signer signs in clinic 0

Reported per round: signatures per second (from the start signal to the last signer's report),
p50/p95/p99 latency of one signature, the wait for the chain head (timed around its
SELECT ... FOR UPDATE), how long the head stays locked (from that statement to the commit),
the signers PostgreSQL shows waiting on a lock (pg_stat_activity, sampled every 10 ms), the CPU
a signature costs (the signer process's and its PostgreSQL backend's, from /proc) and how busy
the machine was. Then every clinic's chain is walked (consent.chains.verify_one), and the rows the
round added must equal the successful signatures, and as many visits be confirmed. Exits 1 on any
failed signature or broken check. Writes bench/results/signing-<time>.json.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from typing import Any

from bench.common import load_average, machine_cpu_ticks, setup_django, write_result
from bench.signing import clinic_slug, figures, say

CONFIGURATIONS = ("spread", "one")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the patients' names and birth dates")
    parser.add_argument("--clinics", type=int, default=10)
    parser.add_argument("--signers", type=int, default=20)
    parser.add_argument("--per-signer", type=int, default=50, help="timed signatures per signer and round")
    parser.add_argument("--warmups", type=int, default=2, help="untimed signatures per signer first")
    parser.add_argument("--patients", type=int, default=0, help="patients per clinic (default: what 'one' needs)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of each configuration, alternating")
    parser.add_argument("--configurations", default=",".join(CONFIGURATIONS), help="spread,one (in this order)")
    args = parser.parse_args(argv)
    configurations = [c for c in args.configurations.split(",") if c]
    if not set(configurations) <= set(CONFIGURATIONS):
        parser.error(f"--configurations takes {', '.join(CONFIGURATIONS)}")
    patients = args.patients or args.signers * (args.per_signer + args.warmups)

    anchors = tempfile.mkdtemp(prefix="acus-bench-signing-anchors-")
    os.environ["ANCHOR_DIR"] = anchors  # checkpoints of these chains go here, not into var/
    try:
        setup_django()
        from bench.signing.seed import seed

        seeded = seed(reset=args.reset, clinics=args.clinics, patients=patients, rng_seed=args.seed)
        rounds = []
        for _ in range(args.repeat):
            for configuration in configurations:
                clinics = args.clinics if configuration == "spread" else 1
                label = f"{args.signers} signers in {clinics} clinic{'s' if clinics > 1 else ''}"
                assignment = figures.assign_clinics(args.signers, clinics)
                outcome = run_round(label, assignment, args.per_signer, args.warmups)
                rounds.append(outcome)
    finally:
        shutil.rmtree(anchors, ignore_errors=True)

    say("")
    say(figures.table(rounds))
    spread = [r["per_second"] for r in rounds if r["configuration"] == "spread"]
    one = [r["per_second"] for r in rounds if r["configuration"] == "one"]
    ratio = round(max(spread) / max(one), 2) if spread and one and max(one) else None
    if ratio is not None:
        say(f"spread / one clinic, signatures per second (best rounds): {ratio} x")
    command = "python -m bench.signing " + " ".join(argv if argv is not None else sys.argv[1:])
    path = write_result("signing", {"command": command.strip(), "seed": seeded, "ratio": ratio, "rounds": rounds})
    say(f"results: {path}")
    bad = [r for r in rounds if r["failed"] or not r["checks"]["ok"]]
    return 1 if bad else 0


def run_round(label: str, assignment: list[int], per_signer: int, warmups: int) -> dict[str, Any]:
    from django.db import connection

    from bench.signing import signer
    from bench.signing.prepare import prepare_round
    from bench.signing.watch import LockWatch

    started = time.perf_counter()
    tasks = prepare_round(assignment, per_signer + warmups)
    say(f"{label}: {sum(len(t) for t in tasks)} visits held and screened in {time.perf_counter() - started:.1f} s")
    slugs = sorted({clinic_slug(c) for c in assignment})
    connection.close()  # the signers make their own
    context = mp.get_context("spawn")
    ready = [context.Event() for _ in assignment]
    go = context.Event()
    results = context.Queue()
    processes = [
        context.Process(target=signer.run, args=(f"{n:02d}", tasks[n], warmups, ready[n], go, results))
        for n in range(len(assignment))
    ]
    for process in processes:
        process.start()
    _wait_ready(processes, ready)
    before = _signed(slugs)
    load_before = load_average()
    watch = LockWatch()
    watch.start()
    busy0, total0 = machine_cpu_ticks()
    started = time.perf_counter()
    go.set()
    reports = [results.get(timeout=1800) for _ in processes]
    wall = time.perf_counter() - started
    busy1, total1 = machine_cpu_ticks()
    pg = watch.stop()
    for process in processes:
        process.join(timeout=60)
    outcome = figures.summarise(reports, wall_seconds=wall)
    timed = [task.appointment_id for signer_tasks in tasks for task in signer_tasks[warmups:]]
    outcome.update(
        label=label,
        configuration="spread" if len(slugs) > 1 else "one",
        clinics=slugs,
        machine_busy=round((busy1 - busy0) / max(total1 - total0, 1), 3),
        load_average_before_after=[load_before, load_average()],
        checks=_checks(slugs, before, outcome["signed"], timed),
        **pg,
    )
    lat = outcome["latency_ms"]
    say(
        f"{label}: {outcome['signed']} signed, {outcome['failed']} failed in {outcome['wall_seconds']} s: "
        f"{outcome['per_second']}/s, p50 {lat.get('p50')} p95 {lat.get('p95')} p99 {lat.get('p99')} ms; "
        f"chain lock wait p95 {outcome['chain_lock_wait_ms'].get('p95')} ms "
        f"({outcome['chain_lock_wait_share']:.0%} of signing time), "
        f"held p50 {outcome['chain_lock_held_ms'].get('p50')} ms; "
        f"CPU a signature: signer {outcome['signer_cpu_ms_per_signature']} ms, "
        f"PostgreSQL {outcome['db_cpu_ms_per_signature']} ms; "
        f"pg lock waiters mean {pg.get('pg_lock_waiters_mean')}; machine busy {outcome['machine_busy']:.0%}; "
        f"checks {'ok' if outcome['checks']['ok'] else outcome['checks']}"
    )
    for failure in outcome["failures"][:5]:
        say(f"  failure: {failure}")
    return outcome


def _wait_ready(processes: list[Any], ready: list[Any]) -> None:
    """Until every signer has signed its warm-ups; stop at once if one died (its traceback is above)."""
    deadline = time.monotonic() + 600
    while not all(event.is_set() for event in ready):
        dead = [p for p in processes if not p.is_alive()]
        if dead or time.monotonic() > deadline:
            for process in processes:
                process.terminate()
            raise SystemExit("a signer died before the start" if dead else "the signers did not get ready in 600 s")
        time.sleep(0.2)


def _signed(slugs: list[str]) -> dict[str, int]:
    from django.db.models import Count

    from consent.models import SignedConsent

    rows = SignedConsent.objects.filter(scope__in=slugs).values("scope").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(slugs, 0)
    counts.update({row["scope"]: row["n"] for row in rows})
    return counts


def _checks(slugs: list[str], before: dict[str, int], successes: int, timed: list[int]) -> dict[str, Any]:
    """Every chain walks intact to its head, and the rows added are the signatures that succeeded."""
    from booking.models import Appointment
    from consent import chains

    after = _signed(slugs)
    verdicts = {slug: chains.verify_one(slug) for slug in slugs}
    broken = {slug: v.broken.problem for slug, v in verdicts.items() if v.broken is not None}
    short = {slug: v.checked for slug, v in verdicts.items() if v.end is None or v.checked != v.end.count}
    added = sum(after.values()) - sum(before.values())
    confirmed = Appointment.objects.filter(pk__in=timed, status=Appointment.Status.CONFIRMED).count()
    return {
        "ok": not broken and not short and added == successes == confirmed,
        "chains_walked": len(verdicts),
        "rows_walked": sum(v.checked for v in verdicts.values()),
        "broken": broken,
        "walk_differs_from_head": short,
        "rows_added": added,
        "successes": successes,
        "visits_confirmed": confirmed,
    }


if __name__ == "__main__":
    sys.exit(main())
