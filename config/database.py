"""DATABASES from the environment: DATABASE_URL (postgres:// or sqlite://), with the options
each engine needs. Kept apart from settings.py so the database's rules are read in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from config.env import ConfigError, envint, envstr


def database_from_env(var_dir: Path) -> dict[str, Any]:
    url = envstr("DATABASE_URL", f"sqlite:///{var_dir / 'acus.sqlite3'}")
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", 60, minimum=0)))
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is not a database URL: {exc}") from None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so two booking transactions
        # serialize instead of failing half-way with "database is locked"; WAL lets
        # readers carry on while the web server and the worker write.
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif db["ENGINE"] == "django.db.backends.postgresql":
        db.setdefault("OPTIONS", {})["connect_timeout"] = envint("DB_CONNECT_TIMEOUT", 5, minimum=1)
    else:
        raise ConfigError("DATABASE_URL must be a postgres:// or sqlite:// URL")
    # A connection that died while PostgreSQL restarted is replaced, not reused.
    db["CONN_HEALTH_CHECKS"] = True
    return db
