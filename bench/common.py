"""Shared set-up for the benchmarks: the bench database, Django, timing and result files.

The benchmarks never touch the development database: they use BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/acus_bench) and set DATABASE_URL from
it before Django reads its settings.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/acus_bench"
BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
CLINIC_SLUG = "acus-bench"
# The statuses the exclusion constraints (booking migration 0002) cover.
LIVE_SQL = "('held', 'pending_review', 'confirmed')"


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"BENCH_DATABASE_URL must be a postgres:// URL, not {url!r}")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"BENCH_DATABASE_URL must point at a loopback address, not {parts.hostname!r}")
    return url


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def maintenance_url(url: str) -> str:
    """The same server, database `postgres`: where CREATE/DROP DATABASE run."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def setup_django() -> None:
    """Point Django at the bench database, DEBUG on, and set it up."""
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    import django

    django.setup()


def ensure_database(*, drop_first: bool = False) -> bool:
    """Create the bench database if it is missing (dropping it first if asked).

    Returns True when the database was created. Refuses to drop a database whose
    name does not contain "bench", so a stray URL cannot wipe real data."""
    import psycopg
    from psycopg import sql

    url = bench_database_url()
    name = database_name(url)
    if not name:
        raise SystemExit("BENCH_DATABASE_URL names no database")
    with psycopg.connect(maintenance_url(url), autocommit=True) as conn:
        if drop_first:
            if "bench" not in name:
                raise SystemExit(f"refusing to drop {name!r}: only a database whose name contains 'bench'")
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {}
    return {
        "n": len(ms),
        "min": round(min(ms), 2),
        "median": round(statistics.median(ms), 2),
        "p95": round(percentile(ms, 0.95), 2),
        "max": round(max(ms), 2),
    }


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        total_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        info["memory_gib"] = round(total_kb / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return info


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def write_result(name: str, payload: dict[str, Any]) -> Path:
    """bench/results/<name>-<UTC time>.json, and <name>-latest.json beside it."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    body = json.dumps(
        {"benchmark": name, "at": stamp, "machine": machine(), "revision": git_revision(), **payload},
        indent=2,
        default=str,
    )
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(body + "\n")
    (RESULTS_DIR / f"{name}-latest.json").write_text(body + "\n")
    return path


def migrate() -> None:
    """Bring the bench database up to the code's migrations (others change models meanwhile)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def check_overlaps(*, live_only: bool = True) -> dict[str, int]:
    """Rows that overlap an earlier row of the same practitioner (on blocked_start/blocked_end)
    or of the same patient (on start/end). Zero means the invariant holds.

    Sorted by start, a row overlaps an earlier one exactly when it starts before the
    latest end among the rows before it, so one window function per check suffices."""
    from django.db import connection

    where = f"WHERE status IN {LIVE_SQL}" if live_only else ""
    checks = {
        "practitioner_overlaps": ("practitioner_id", "blocked_start", "blocked_end"),
        "patient_overlaps": ("patient_id", "start", '"end"'),
    }
    out = {}
    with connection.cursor() as cursor:
        for name, (who, start, end) in checks.items():
            cursor.execute(
                f"""
                SELECT count(*) FROM (
                    SELECT {start} AS s, max({end}) OVER (
                        PARTITION BY {who} ORDER BY {start}, id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                    ) AS latest_end
                    FROM booking_appointment {where}
                ) AS ordered
                WHERE s < latest_end
                """  # noqa: S608 - fixed column names, no user input
            )
            row = cursor.fetchone()
            out[name] = int(row[0]) if row else -1
    return out


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages: other work on the machine skews every figure."""
    return [round(x, 2) for x in os.getloadavg()]


def machine_cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])
    return total - idle, total


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants that are alive now (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            seconds += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, IndexError, ValueError):
            continue
    return seconds


def wait_for_quiet(max_load: float, max_wait_seconds: float) -> bool:
    """Wait (bounded) until the 1-minute load average drops below max_load; True if it did.

    A shared 2-core machine gives noisy figures while someone else runs a test suite."""
    import time

    if max_load <= 0:
        return True
    deadline = time.monotonic() + max_wait_seconds
    while os.getloadavg()[0] >= max_load:
        if time.monotonic() >= deadline:
            print(f"load average still {load_average()} after {max_wait_seconds:.0f} s; measuring anyway")
            return False
        time.sleep(10)
    return True


# --- The web server's settings (bench.http_booking.server, bench.load, bench.endpoint_cpu) ---

HOST = "127.0.0.1"
# bench.load gives both sides these rates, high enough that a patient of its load never meets
# one: the throttles still count every request (their cache round trips are measured), but a
# faster side is not cut short by 429s that the slower one never reached.
BENCH_THROTTLES = {"THROTTLE_SLOTS": "1000000/minute", "THROTTLE_HOLDS": "1000000/minute"}


def server_env(var_dir: str, redis_url: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ANCHOR_KEY=secrets.token_urlsafe(32),  # production refuses to start without one
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=bench_database_url(),
        ACUS_VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra or {})
    return env
