"""Real worker processes for the notification tests: the environment a child Django process
needs to share pytest's test database, a Celery worker on Redis, and waiting on what they do."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
SLOW_FILE_BACKEND = "tests.notifications.backends.SlowFileEmailBackend"


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(mail_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": SLOW_FILE_BACKEND,
        "ACUS_TEST_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": str(REPO),
        **extra,
    }
    return env


def wait_until(check: Callable[[], bool], *, seconds: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    detail = f"\n--- worker log ---\n{log.read_text()[-4000:]}" if log and log.exists() else ""
    pytest.fail(f"waited {seconds:g} s for {what}{detail}")


def sent_files(mail_dir: Path) -> dict[int, int]:
    """notification id -> number of files (messages) for it."""
    counts: dict[int, int] = {}
    for path in mail_dir.glob("*.eml"):
        pk = int(path.name.split("-")[0])
        counts[pk] = counts.get(pk, 0) + 1
    return counts


@contextmanager
def stopping(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def celery_worker(mail_dir: Path, log: Path, redis_url: str, **extra: str) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=child_env(mail_dir, REDIS_URL=redis_url, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    with stopping(process):
        yield process
