"""The consent audit at 100,000 signed consents: `python -m bench.audit` (see __main__.py).

Importing the package points BENCH_DATABASE_URL at acus_bench_audit unless it is set, sets
Django up on that database, and holds what seeding and measuring share.
"""

from __future__ import annotations

import os

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/acus_bench_audit")

from bench.common import setup_django

setup_django()

SLUG = "acus-bench-audit"
ADMIN_EMAIL = "audit-admin@bench.acus.example"


def say(message: str) -> None:
    print(message, flush=True)
