"""The real service for the fault tests: gunicorn, a Celery worker with beat, and private
PostgreSQL and Redis servers that a test may stop and start at will.

Every process is started in its own session and always stopped (its whole process
group killed if it lingers), so a failing test leaves nothing running. The machine's
shared PostgreSQL (5432) and Redis (6379) are never touched."""

from __future__ import annotations

import glob
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.loopback import HOST, free_port
from tests.resources import need

REPO = Path(__file__).resolve().parents[2]
ACCESS_LINE = re.compile(r"^access (\d{3}) (\S+) (\S+)", re.MULTILINE)


def tail(*logs: Path, chars: int = 4000) -> str:
    """The end of each log, for failure messages. Fixtures also print it when they stop a
    process: pytest shows that output with a failed test only."""
    parts = [f"\n--- {log.name} ---\n{log.read_text(errors='replace')[-chars:]}" for log in logs if log.exists()]
    return "".join(parts)


def wait_until(check: Callable[[], bool], *, seconds: float, what: str, logs: tuple[Path, ...] = ()) -> float:
    """Poll `check` until it holds; returns the seconds it took, fails the test after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"waited {seconds:g} s for {what}{tail(*logs)}")


def stop_process(process: subprocess.Popen[bytes], *, grace: float = 15) -> None:
    """SIGTERM, then SIGKILL to its whole process group (started with start_new_session)."""
    if process.poll() is None:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # children left behind (workers, beat)
    if process.poll() is None:
        process.wait(timeout=10)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def emails_by_notification(mail_dir: Path) -> dict[int, int]:
    """notification id -> messages written for it by tests.notifications.backends.SlowFileEmailBackend."""
    return dict(Counter(int(path.name.split("-")[0]) for path in mail_dir.glob("*.eml")))


# --- HTTP -------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no HTTP answer at all
    body: Any  # parsed JSON, or text
    headers: dict[str, str]
    seconds: float

    def __str__(self) -> str:
        return f"{self.status} in {self.seconds:.2f} s: {str(self.body)[:300]}"


@dataclass
class Api:
    port: int
    token: str = ""

    def call(self, method: str, path: str, body: Any = None, *, key: str = "", timeout: float = 20) -> Answer:
        headers = {"Accept": "application/json, text/html"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            answer_headers = dict(response.getheaders())
            status = response.status
        except OSError as exc:
            return Answer(0, repr(exc), {}, time.monotonic() - started)
        finally:
            connection.close()
        text = raw.decode(errors="replace")
        parsed: Any = text
        if answer_headers.get("Content-Type", "").startswith("application/json"):
            parsed = json.loads(text)
        return Answer(status, parsed, answer_headers, time.monotonic() - started)

    def get(self, path: str) -> Answer:
        return self.call("GET", path)

    def post(self, path: str, body: Any, *, key: str = "") -> Answer:
        return self.call("POST", path, body, key=key)


# --- The service ------------------------------------------------------------------------


def service_env(var_dir: Path, database_url: str, *, redis_url: str = "", **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) on loopback, for gunicorn and the worker alike."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ANCHOR_KEY=secrets.token_urlsafe(32),  # production refuses to start without one
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        ACUS_VAR_DIR=str(var_dir),
        PYTHONPATH=str(REPO),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def statuses(self) -> Counter[int]:
        """Status codes in gunicorn's access log."""
        return Counter(int(m.group(1)) for m in ACCESS_LINE.finditer(self.log.read_text(errors="replace")))


@contextmanager
def gunicorn(env: dict[str, str], log: Path, *, workers: int = 2, seconds: float = 60) -> Iterator[Server]:
    """gunicorn on a free port, with its static files collected as in production, until healthy."""
    manage(env, "collectstatic", "--noinput", "-v0")
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--timeout", "60", "--no-control-socket"]
    command += ["--access-logfile", "-", "--access-logformat", "access %(s)s %(m)s %(U)s %(M)sms"]
    process = start(command, env, log)
    try:
        server = Server(port, process, log)
        api = Api(port)
        wait_until(
            lambda: process.poll() is None and api.get("/healthz").status == 200,
            seconds=seconds,
            what="gunicorn to answer /healthz with 200",
            logs=(log,),
        )
        yield server
    finally:
        stop_process(process)
        print(tail(log, chars=8000))


@contextmanager
def celery_worker_with_beat(env: dict[str, str], log: Path, schedule: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=solo", "--loglevel=INFO"]
    command += ["--schedule", str(schedule), "--without-gossip", "--without-mingle", "--without-heartbeat"]
    process = start(command, {**env, "LOG_LEVEL": "INFO"}, log)
    try:
        yield process
    finally:
        stop_process(process)
        print(tail(log, chars=8000))


# --- A private PostgreSQL ---------------------------------------------------------------


def postgres_bin() -> Path:
    """The newest PostgreSQL server's binaries (Debian's layout, else on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    pg_ctl = found[-1] if found else shutil.which("pg_ctl")
    need(pg_ctl is not None, "the PostgreSQL server binaries (initdb, pg_ctl)")
    assert pg_ctl is not None
    return Path(pg_ctl).parent


@dataclass
class Postgres:
    """A throwaway cluster on a free port; `postgres` has trust access over TCP on loopback."""

    bin: Path
    folder: Path
    port: int
    as_postgres: list[str]

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.folder} -c fsync=off"
        command = [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        command += ["-o", options, "-w", "-t", "30", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (
            f"pg_ctl {' '.join(args)} failed:\n{result.stdout}{result.stderr}{tail(self.log)}"
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "restart")

    def kill(self) -> None:
        """Best effort, for clean-up: stop at once, or kill the postmaster."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return
        command = [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        subprocess.run(command, capture_output=True, timeout=30, check=False)
        if pid_file.exists():
            with suppress(ValueError, ProcessLookupError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)


@contextmanager
def private_postgres() -> Iterator[Postgres]:
    bin_dir = postgres_bin()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
        runuser = shutil.which("runuser")
        need(runuser is not None and _user_exists("postgres"), "runuser and a postgres user (the tests run as root)")
        as_postgres = [str(runuser), "-u", "postgres", "--"]
    # In /tmp itself: pytest's own temporary folders are private to root.
    folder = Path(tempfile.mkdtemp(prefix="acus-faults-pg-"))
    if as_postgres:
        shutil.chown(folder, "postgres")
    cluster = Postgres(bin_dir, folder, free_port(), as_postgres)
    try:
        initdb = [*as_postgres, str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", "postgres"]
        initdb += ["-A", "trust", "-E", "UTF8", "--no-sync"]
        result = subprocess.run(initdb, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"initdb failed:\n{result.stdout}{result.stderr}"
        cluster.start()
        yield cluster
    finally:
        cluster.kill()
        print(tail(cluster.log))
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# --- A private Redis --------------------------------------------------------------------


@dataclass
class Redis:
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server is not None
        command = [server, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = start([*command, "--daemonize", "no"], dict(os.environ), self.log)
        wait_until(self.answers, seconds=20, what=f"redis-server on port {self.port}", logs=(self.log,))

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def private_redis(log: Path) -> Iterator[Redis]:
    need(shutil.which("redis-server") is not None, "redis-server")
    redis = Redis(free_port(), log)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()
        print(tail(log))
