"""Booking over HTTP against a real gunicorn: a race for one slot, then random bookings.

    .venv/bin/python -m bench.seed                 # once
    .venv/bin/python -m bench.http_booking         # ~1-3 minutes; aborts after --time-limit s

It starts `.venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:<free port> --workers 4`
itself (DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0,
DATABASE_URL = the bench database, no REDIS_URL, ACUS_VAR_DIR a temporary folder), waits
for /healthz and always stops it at the end. Its log goes to bench/results/gunicorn-latest.log.

Patients authenticate with DRF tokens created directly in the bench database. GET /slots
also carries the patient's token: anonymous slot requests are throttled per address
(core.throttling.ScopedThrottle; rates in settings, 120/minute), and every client here has the address 127.0.0.1.

(c1) 50 clients, each its own patient and its own connection, race for ONE slot through
     POST /api/v1/appointments: expected exactly one 201, 49 409 slot_unavailable, no 5xx.
     The winner then retries with the same Idempotency-Key: expected 200 and the same id.
(c2) 2,000 booking attempts by 20 concurrent clients: each attempt is GET /slots for a
     random treatment and practitioner over the next 28 days, then POST of a random slot
     from the answer, as a random patient. Throughput, p50/p95 latency and status counts.
     Then SQL: no two live appointments of one practitioner overlap (blocked_start,
     blocked_end), no patient has two overlapping live appointments, and the new holds in
     the database number exactly the 201s.

Holds left by an earlier run are cancelled (reason bench_cleanup) before and after, so
reruns start from the seeded state. Writes bench/results/http_booking-<time>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time as clock
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.common import (
    CLINIC_SLUG,
    REPO_DIR,
    RESULTS_DIR,
    bench_database_url,
    check_overlaps,
    load_average,
    machine_cpu_ticks,
    migrate,
    process_tree_cpu_seconds,
    setup_django,
    summary_ms,
    wait_for_quiet,
    write_result,
)

setup_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from booking.models import Appointment, AppointmentType, Clinic, Practitioner  # noqa: E402

HOST = "127.0.0.1"
API = "/api/v1"
API_URLS_FILE = REPO_DIR / "booking" / "api" / "urls.py"


# --- The server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(var_dir: str, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=bench_database_url(),
        ACUS_VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@dataclass(frozen=True)
class Server:
    port: int
    pid: int


@contextmanager
def gunicorn(workers: int, redis_url: str | None, log_path: Path, startup_timeout: float) -> Iterator[Server]:
    """Run gunicorn on a free loopback port for the duration of the block."""
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="acus-bench-var-")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        str(REPO_DIR / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        # gunicorn 27 opens a control socket at a fixed path (~/.gunicorn/gunicorn.ctl) by
        # default, which another gunicorn on this machine may be using.
        "--no-control-socket",
    ]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_DIR,
            env=server_env(var_dir, redis_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
        print(f"gunicorn pid {proc.pid} on http://{HOST}:{port} ({workers} workers), log {log_path}")
        try:
            wait_healthy(port, proc, startup_timeout)
            yield Server(port, proc.pid)
        finally:
            stop(proc)
            shutil.rmtree(var_dir, ignore_errors=True)


def wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = clock.monotonic() + timeout
    last = "no answer"
    while clock.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before it was healthy; see its log")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return
            last = f"{response.status} {body[:200]!r}"
        except OSError as exc:
            last = repr(exc)
        clock.sleep(0.25)
    raise RuntimeError(f"/healthz not healthy after {timeout:.0f} s: {last}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to our gunicorn master (it stops its workers); SIGKILL its process group if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    print(f"gunicorn stopped (exit {proc.returncode})")


# --- A client -------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    status: int  # 0: no HTTP answer (connection error or timeout)
    code: str  # the error body's "code", "" on success
    seconds: float


@dataclass
class Client:
    """One keep-alive-capable connection; http.client reconnects when the server closes it."""

    port: int
    timeout: float = 30.0
    calls: list[Call] = field(default_factory=list)
    _conn: http.client.HTTPConnection | None = None

    def connect(self) -> None:
        self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        self._conn.connect()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def request(
        self, method: str, path: str, *, token: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        if self._conn is None:
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        began = clock.perf_counter()
        try:
            self._conn.request(method, path, body=payload, headers=headers)
            response = self._conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self._conn.close()
            self.calls.append(Call(method, 0, type(exc).__name__, clock.perf_counter() - began))
            return 0, None
        elapsed = clock.perf_counter() - began
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        code = data.get("code", "") if isinstance(data, dict) and status >= 400 else ""
        self.calls.append(Call(method, status, str(code), elapsed))
        return status, data


def slots_path(type_id: int, practitioner: int | str, start: datetime, end: datetime) -> str:
    query = urlencode(
        {"appointment_type": type_id, "practitioner": practitioner, "start": start.isoformat(), "end": end.isoformat()}
    )
    return f"{API}/slots?{query}"


def slot_list(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):  # tolerate a paginated answer
        data = data.get("results", [])
    return [s for s in data or [] if isinstance(s, dict) and "start" in s]


def practitioner_id(slot: dict[str, Any]) -> int:
    value = slot["practitioner"]
    return int(value["id"] if isinstance(value, dict) else value)


def call_summary(calls: list[Call], method: str | None = None) -> dict[str, Any]:
    chosen = [c for c in calls if method is None or c.method == method]
    counts = Counter(f"{c.status} {c.code}".strip() for c in chosen)
    return {
        "requests": len(chosen),
        "latency_ms": summary_ms([c.seconds for c in chosen]),
        "statuses": dict(sorted(counts.items())),
        "server_errors": sum(1 for c in chosen if c.status >= 500),
        "no_answer": sum(1 for c in chosen if c.status == 0),
    }


# --- Data set-up ----------------------------------------------------------------------


def tokens_for_patients(clinic: Clinic) -> dict[int, str]:
    """patient id -> token key, creating the missing tokens in bulk."""
    from accounts.models import Patient

    patients = dict(Patient.objects.filter(user__email__endswith="@bench.acus.example").values_list("user_id", "id"))
    have = dict(Token.objects.filter(user_id__in=patients).values_list("user_id", "key"))
    missing = [Token(key=secrets.token_hex(20), user_id=uid) for uid in patients if uid not in have]
    Token.objects.bulk_create(missing, batch_size=2000)
    have.update({t.user_id: t.key for t in missing})
    return {patients[uid]: key for uid, key in have.items()}


def release_bench_holds(clinic: Clinic) -> int:
    """Cancel every hold in the bench clinic (they come from earlier runs), without events."""
    now = timezone.now()
    return Appointment.objects.filter(clinic=clinic, status=Appointment.Status.HELD).update(
        status=Appointment.Status.CANCELLED,
        cancel_reason="bench_cleanup",
        cancelled_at=now,
        hold_expires_at=None,
        updated_at=now,
    )


def patients_free_during(start: datetime, end: datetime, tokens: dict[int, str]) -> list[int]:
    busy = set(
        Appointment.objects.filter(
            status__in=Appointment.LIVE, start__lt=end + timedelta(hours=2), end__gt=start - timedelta(hours=2)
        ).values_list("patient_id", flat=True)
    )
    return sorted(pid for pid in tokens if pid not in busy)


# --- Warm-up --------------------------------------------------------------------------


def warm_up(port: int, clinic: Clinic, tokens: dict[int, str], workers: int) -> dict[str, Any]:
    """Each worker's first requests import and build much of the app (~0.8 s on this machine):
    send a few rounds of GET /slots and of an invalid POST (400, books nothing) first, not counted."""
    kind = AppointmentType.objects.filter(clinic=clinic).order_by("position").first()
    assert kind is not None
    token = next(iter(tokens.values()))
    now = timezone.now()

    def one(_: int) -> Client:
        client = Client(port)
        client.request("GET", slots_path(kind.pk, "any", now, now + timedelta(days=7)), token=token)
        client.request("POST", f"{API}/appointments", token=token, body={})
        client.close()
        return client

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        calls = [c for client in pool.map(one, range(workers * 4)) for c in client.calls]
    return call_summary(calls)


# --- (c1) the race --------------------------------------------------------------------


def race_for_one_slot(
    port: int, clinic: Clinic, tokens: dict[int, str], clients: int, rng: random.Random, deadline: float
) -> dict[str, Any]:
    kind = AppointmentType.objects.get(clinic=clinic, name="Follow-up dry needling")
    practitioner = Practitioner.objects.filter(clinics=clinic).order_by("id")[1]
    now = timezone.now()
    probe = Client(port)
    any_token = next(iter(tokens.values()))
    status, data = probe.request(
        "GET", slots_path(kind.pk, practitioner.pk, now, now + timedelta(days=28)), token=any_token
    )
    slots = slot_list(data)
    if status != 200 or not slots:
        raise RuntimeError(f"c1: GET slots answered {status} with {len(slots)} slots: {str(data)[:300]}")
    slot = slots[len(slots) // 2]
    start = datetime.fromisoformat(slot["start"])
    patients = patients_free_during(start, datetime.fromisoformat(slot["end"]), tokens)
    racers = rng.sample(patients, clients)
    body = {"appointment_type": kind.pk, "practitioner": practitioner.pk, "start": slot["start"]}
    barrier = threading.Barrier(clients, timeout=60)
    keys = {pid: str(uuid.uuid4()) for pid in racers}
    answers: dict[int, tuple[int, Any]] = {}

    def run(pid: int) -> Client:
        client = Client(port)
        client.connect()
        barrier.wait()
        if clock.monotonic() < deadline:
            answers[pid] = client.request("POST", f"{API}/appointments", token=tokens[pid], body=body, key=keys[pid])
        client.close()
        return client

    print(f"c1: {clients} clients race for {slot['start']} with practitioner {practitioner.pk} ({kind.name})")
    began = clock.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        finished = list(pool.map(run, racers))
    wall = clock.perf_counter() - began
    calls = [c for client in finished for c in client.calls]

    winners = [pid for pid, (st, _) in answers.items() if st == 201]
    replay: dict[str, Any] = {}
    if len(winners) == 1:
        pid = winners[0]
        first_id = answers[pid][1]["id"]
        again = Client(port)
        st, data = again.request("POST", f"{API}/appointments", token=tokens[pid], body=body, key=keys[pid])
        replay = {"status": st, "same_id": isinstance(data, dict) and data.get("id") == first_id}
    live_here = Appointment.objects.filter(practitioner=practitioner, status__in=Appointment.LIVE, start=start).count()
    summary = call_summary(calls)
    ok = (
        len(winners) == 1
        and summary["statuses"].get("409 slot_unavailable", 0) == clients - 1
        and summary["server_errors"] == 0
        and live_here == 1
        and replay.get("status") == 200
        and replay.get("same_id") is True
    )
    return {
        "slot": slot,
        "clients": clients,
        "wall_seconds": round(wall, 2),
        **summary,
        "successes": len(winners),
        "live_appointments_at_slot": live_here,
        "idempotent_retry": replay,
        "verdict": "PASS" if ok else "FAIL",
    }


# --- (c2) random bookings -------------------------------------------------------------


def random_bookings(
    server: Server,
    clinic: Clinic,
    tokens: dict[int, str],
    attempts: int,
    clients: int,
    days: int,
    rng_seed: int,
    deadline: float,
) -> dict[str, Any]:
    types = list(AppointmentType.objects.filter(clinic=clinic, active=True).values_list("id", flat=True))
    practitioners = list(Practitioner.objects.filter(clinics=clinic, active=True).values_list("id", flat=True))
    patient_ids = sorted(tokens)
    lock = threading.Lock()
    issued = 0
    no_slots: list[int] = []  # which attempts found no free slot at all

    def next_attempt() -> int | None:
        nonlocal issued
        with lock:
            if issued >= attempts or clock.monotonic() >= deadline:
                return None
            issued += 1
            return issued

    def run(index: int) -> Client:
        rng = random.Random(rng_seed * 1000 + index)
        client = Client(port)
        while (number := next_attempt()) is not None:
            pid = rng.choice(patient_ids)
            type_id = rng.choice(types)
            who = rng.choice(practitioners)
            now = timezone.now()
            status, data = client.request(
                "GET", slots_path(type_id, who, now, now + timedelta(days=days)), token=tokens[pid]
            )
            slots = slot_list(data) if status == 200 else []
            if not slots:
                with lock:
                    no_slots.append(number)
                continue
            slot = rng.choice(slots)
            body = {"appointment_type": type_id, "practitioner": practitioner_id(slot), "start": slot["start"]}
            client.request("POST", f"{API}/appointments", token=tokens[pid], body=body, key=str(uuid.uuid4()))
        client.close()
        return client

    print(f"c2: {attempts} attempts by {clients} clients (GET slots over {days} days, then POST a random one)")
    port = server.port
    run_started = timezone.now()
    cpu_before = _cpu(server)
    with PostgresCpu() as postgres_cpu:
        began = clock.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            finished = list(pool.map(run, range(clients)))
        wall = clock.perf_counter() - began
    cpu = {k: v - cpu_before[k] for k, v in _cpu(server).items()}
    cpu["postgres"] = postgres_cpu.seconds
    calls = [c for client in finished for c in client.calls]
    posts = [c for c in calls if c.method == "POST"]
    created = sum(1 for c in posts if c.status == 201)
    new_holds = Appointment.objects.filter(
        clinic=clinic, status=Appointment.Status.HELD, created_at__gte=run_started
    ).count()
    overlaps = check_overlaps(live_only=True)
    gets, post_summary = call_summary(calls, "GET"), call_summary(calls, "POST")
    ok = (
        issued == attempts
        and gets["server_errors"] == 0
        and post_summary["server_errors"] == 0
        and gets["no_answer"] == 0
        and post_summary["no_answer"] == 0
        and not any(overlaps.values())
        and new_holds == created
    )
    return {
        "attempts": issued,
        "attempts_asked": attempts,
        "clients": clients,
        "days": days,
        "wall_seconds": round(wall, 2),
        "attempts_per_second": round(issued / wall, 1),
        "posts_per_second": round(len(posts) / wall, 1),
        "requests_per_second": round(len(calls) / wall, 1),
        "attempts_without_slots": len(no_slots),
        # The calendar fills up as the run goes on: how many found nothing, per quarter of the run.
        "attempts_without_slots_by_quarter": [
            sum(1 for n in no_slots if q * issued < 4 * n <= (q + 1) * issued) for q in range(4)
        ],
        "get": gets,
        "post": post_summary,
        "holds_created": created,
        "new_holds_in_database": new_holds,
        "overlaps_among_live": overlaps,
        "cpu": {
            "gunicorn_seconds": round(cpu["server"], 1),
            "gunicorn_ms_per_request": round(cpu["server"] * 1000 / max(1, len(calls)), 1),
            # Backends that lived through the run; gunicorn keeps its connections (CONN_MAX_AGE).
            "postgres_backends_seconds": round(cpu["postgres"], 1),
            "load_generator_seconds": round(cpu["client"], 1),
            "machine_busy_percent": round(100 * cpu["busy"] / max(1, cpu["total"]), 1),
        },
        "verdict": "PASS" if ok else "FAIL",
    }


class PostgresCpu:
    """CPU seconds used by the PostgreSQL backends connected to the bench database during a block.

    Django replaces a connection after CONN_MAX_AGE (60 s), so backends come and go: a
    thread samples them every second and adds up what each used while it was seen."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PostgresCpu:
        self._sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._sample(first=False)

    @property
    def seconds(self) -> float:
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                self._sample(first=False)
        finally:
            connection.close()  # this thread's own connection

    def _sample(self, *, first: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids = [int(row[0]) for row in cursor.fetchall()]
        for pid in pids:
            cpu = process_tree_cpu_seconds(pid)
            if first:
                self.first[pid] = cpu
            self.last[pid] = max(cpu, self.last.get(pid, 0.0))


def _cpu(server: Server) -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    busy, total = machine_cpu_ticks()
    return {
        "server": process_tree_cpu_seconds(server.pid),
        "client": usage.ru_utime + usage.ru_stime,
        "busy": busy,
        "total": total,
    }


# --- Main -----------------------------------------------------------------------------


def wait_for_api(minutes: float, every: float) -> bool:
    deadline = clock.monotonic() + minutes * 60
    while True:
        urls = (REPO_DIR / "config" / "urls.py").read_text()
        if API_URLS_FILE.exists() and "booking.api.urls" in urls:
            return True
        if clock.monotonic() >= deadline:
            return False
        print(f"waiting for {API_URLS_FILE} (and its include in config/urls.py); next look in {every:.0f} s")
        clock.sleep(min(every, max(1.0, deadline - clock.monotonic())))


def _sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--race-clients", type=int, default=50)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for c1 + c2 together")
    parser.add_argument("--rng-seed", type=int, default=7)
    parser.add_argument("--redis-url", help="give gunicorn a REDIS_URL (cache and throttles shared by workers)")
    parser.add_argument("--wait-for-api", type=float, default=0.0, help="minutes to wait for booking/api_urls.py")
    parser.add_argument("--poll-seconds", type=float, default=120.0)
    parser.add_argument(
        "--quiet-load", type=float, default=0.0, help="first wait until the 1-min load average is below this"
    )
    parser.add_argument("--quiet-wait", type=float, default=600.0, help="seconds to wait for --quiet-load at most")
    args = parser.parse_args(argv)
    if args.redis_url and not args.redis_url.startswith("redis://127.0.0.1"):
        raise SystemExit("--redis-url must be a redis://127.0.0.1... address")
    signal.signal(signal.SIGTERM, _sigterm)

    if not wait_for_api(args.wait_for_api, args.poll_seconds):
        print(f"the booking API is not there ({API_URLS_FILE} missing or not included): nothing measured")
        return 2
    migrate()
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        raise SystemExit("the bench clinic is missing: run `.venv/bin/python -m bench.seed` first")
    tokens = tokens_for_patients(clinic)
    released = release_bench_holds(clinic)
    print(f"{len(tokens)} patient tokens; {released} holds from earlier runs released")
    connection.close()  # the threads below use their own connections

    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait)
    rng = random.Random(args.rng_seed)
    result: dict[str, Any] = {
        "waited_for_quiet": quiet if args.quiet_load else None,
        "command": "python -m bench.http_booking " + " ".join(argv if argv is not None else sys.argv[1:]),
        "workers": args.workers,
        "redis": bool(args.redis_url),
        "load_average_before": load_average(),
    }
    log_path = RESULTS_DIR / "gunicorn-latest.log"
    try:
        with gunicorn(args.workers, args.redis_url, log_path, startup_timeout=60) as server:
            port = server.port
            result["warm_up"] = warm_up(port, clinic, tokens, args.workers)
            print(f"warm-up: {result['warm_up']['statuses']}")
            deadline = clock.monotonic() + args.time_limit
            result["c1"] = race_for_one_slot(port, clinic, tokens, args.race_clients, rng, deadline)
            print(json.dumps(result["c1"], indent=2, default=str))
            result["c2"] = random_bookings(
                server, clinic, tokens, args.attempts, args.clients, args.days, args.rng_seed, deadline
            )
            print(json.dumps(result["c2"], indent=2, default=str))
        result["load_average_after"] = load_average()
        result["server_log_tracebacks"] = log_path.read_text().count("Traceback")
    finally:
        release_bench_holds(clinic)
    path = write_result("http_booking", result)
    print(f"written: {path}")
    verdicts = [result[k]["verdict"] for k in ("c1", "c2")]
    print(f"c1 {verdicts[0]}, c2 {verdicts[1]}")
    return 0 if all(v == "PASS" for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
