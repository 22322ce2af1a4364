"""`bench.load --spy FILE`: py-spy samples the whole gunicorn process tree through the load phase.

pyinstrument (`--profile`) sees a request from the WSGI call down; py-spy sees each worker from
outside, so gunicorn's accept, parse and write, the WSGI wrapping and anything else a worker
spends CPU on show too. Only a worker holding the GIL is sampled (`--gil`), so the shares below
are of CPU: py-spy's own idle test let a worker waiting on PostgreSQL inside psycopg's wait
count as busy, which made the round trips look several times their CPU (bench/README, "Issue
22, fifth pass"). `summarize` reads py-spy's raw
(collapsed) output: one line per distinct stack, `frame;frame;...;frame count`.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import REPO_DIR

# A frame as py-spy writes it: `function (path/to/file.py:123)`; the line number is dropped.
_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^():]+)(?::\d+)?\)$")


def py_spy() -> str:
    found = REPO_DIR / ".venv" / "bin" / "py-spy"
    if found.exists():
        return str(found)
    return shutil.which("py-spy") or "py-spy"


@contextmanager
def sampling(pid: int, output: Path, rate: int = 200) -> Iterator[None]:
    """py-spy on `pid` (gunicorn's master) and its workers until the block ends."""
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [py_spy(), "record", "--pid", str(pid), "--subprocesses", "--format", "raw"]
    command += ["--rate", str(rate), "--nonblocking", "--gil", "--output", str(output)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if not output.exists():
            raise RuntimeError(f"py-spy wrote nothing: {err.decode(errors='replace')[-2000:]}")


def frame_name(frame: str) -> str:
    found = _FRAME.match(frame.strip())
    if not found:
        return frame.strip()
    return f"{found['name']} ({found['file']})"


def stacks(path: Path) -> Iterator[tuple[list[str], int]]:
    for line in path.read_text(errors="replace").splitlines():
        head, _, count = line.rpartition(" ")
        if head and count.isdigit():
            yield [frame_name(f) for f in head.split(";")], int(count)


def summarize(path: Path, top: int = 40) -> dict[str, object]:
    """Each frame's inclusive share of the CPU samples (a frame counted once per stack)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for frames, count in stacks(path):
        total += count
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count
    share = {name: round(100 * n / max(1, total), 1) for name, n in inclusive.most_common(top)}
    leaf = {name: round(100 * n / max(1, total), 1) for name, n in own.most_common(top)}
    return {"samples": total, "inclusive_percent": share, "self_percent": leaf}
