"""`--baseline REV`: an older revision checked out beside this one, served by the same virtualenv.

The checkout is a detached `git worktree` in a temporary folder, removed at the end. Its
translation catalogues are compiled as `make catalogues` does, so both sides answer alike.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bench.common import REPO_DIR


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=REPO_DIR, capture_output=True, text=True, check=True, timeout=120)
    return out.stdout.strip()


def resolve(rev: str) -> str:
    return _git("rev-parse", "--short", f"{rev}^{{commit}}")


@contextmanager
def baseline_checkout(rev: str) -> Iterator[Path]:
    """A worktree of `rev` (with a .venv link to this checkout's), for the duration of the block."""
    folder = Path(tempfile.mkdtemp(prefix="acus-bench-baseline-")) / "code"
    _git("worktree", "add", "--detach", str(folder), rev)
    try:
        (folder / ".venv").symlink_to(REPO_DIR / ".venv")
        env = {**os.environ, "DEBUG": "1", "ACUS_VAR_DIR": str(folder / "var")}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [str(REPO_DIR / ".venv" / "bin" / "python"), "manage.py", "compile_catalogues"],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        yield folder
    finally:
        _git("worktree", "remove", "--force", str(folder))
        with suppress(OSError):
            folder.parent.rmdir()
