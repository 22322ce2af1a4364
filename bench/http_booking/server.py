"""The server: gunicorn on a free loopback port with the bench settings, always stopped at the end."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import HOST, REPO_DIR, RESULTS_DIR, server_env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    port: int
    pid: int


@contextmanager
def gunicorn(
    workers: int,
    redis_url: str | None,
    log_path: Path,
    startup_timeout: float,
    *,
    code_dir: Path = REPO_DIR,
    app: str = "config.wsgi:application",
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run gunicorn on a free loopback port for the duration of the block.

    `code_dir` is the checkout it serves (bench.load --baseline serves an older revision
    from a temporary worktree); the virtualenv is always this checkout's."""
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="acus-bench-var-")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        str(REPO_DIR / ".venv" / "bin" / "gunicorn"),
        app,
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
            cwd=code_dir,
            env=server_env(var_dir, redis_url, env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
        print(f"gunicorn pid {proc.pid} on http://{HOST}:{port} ({workers} workers, {code_dir}), log {log_path}")
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


def _sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(f"stopped by signal {signum}")
