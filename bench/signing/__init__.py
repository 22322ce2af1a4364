"""Consent signing in parallel: `python -m bench.signing` (see __main__.py).

Importing the package points BENCH_DATABASE_URL at acus_bench_signing unless it is set. It does
not set Django up: `figures` is pure (the tests import it), and the process that runs the bench
sets Django up once in __main__ (each signer process does so in `signer`).
"""

from __future__ import annotations

import os

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/acus_bench_signing")

SLUG_PREFIX = "acus-bench-sign"
# The application_name each signer's connection carries, so pg_stat_activity can tell them apart.
APP_NAME_PREFIX = "bench-signer-"


def clinic_slug(index: int) -> str:
    return f"{SLUG_PREFIX}-{index:02d}"


def say(message: str) -> None:
    print(message, flush=True)
