"""Real servers the tests start on loopback (Radicale, PgBouncer): a free port, a process that
logs to a file, a wait until its port answers, and a stop that never leaves it running."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_listening(
    command: list[str], log: Path, port: int, what: str, *, seconds: float = 20
) -> subprocess.Popen[bytes]:
    """Start `command` with its output appended to `log`; return once `port` accepts a connection.
    A process that exits first, or a port still closed after `seconds`, is an error naming `what`."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited: {log.read_text(errors='replace')[-2000:]}") from None
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"{what} did not start within {seconds:g} s")


def stop(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    """SIGTERM, then SIGKILL if it is still there after `grace` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
