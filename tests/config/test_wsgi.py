"""config.wsgi loads every view before the first request and takes what it loaded out of the
garbage collector's sight (gc.freeze), so a full collection in a web worker walks only what
requests made: in process its longest pause fell from 142 ms to 14.5 ms (bench/README)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.config.environment import ROOT, settings_env

PROBE = (
    "import gc, json, sys; tracked = len(gc.get_objects()); import config.wsgi; "
    "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects()), tracked, "
    "'booking.api.catalogue' in sys.modules, 'workspace.views' in sys.modules]))"
)


def test_the_wsgi_app_imports_the_views_and_freezes_what_it_loaded(tmp_path: Path) -> None:
    env = settings_env(DATABASE_URL=f"sqlite:///{tmp_path / 'acus.sqlite3'}", ACUS_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    frozen, still_tracked, before, api_loaded, pages_loaded = json.loads(result.stdout.strip().splitlines()[-1])

    assert api_loaded and pages_loaded, "the views are imported at start, not on the first request"
    assert frozen > 50_000, frozen
    assert still_tracked < before, (still_tracked, before)
