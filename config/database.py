"""DATABASES from the environment: DATABASE_URL (postgres:// or sqlite://), with the options
each engine needs, and DATABASE_POOLER for a connection pooler between Django and PostgreSQL.
Kept apart from settings.py so the database's rules are read in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from config.env import ConfigError, envchoice, envint, envstr
from core import postgres

# What sits between Django and PostgreSQL (docs/ARCHITECTURE.md, "Behind PgBouncer"):
# "none" (a direct connection) or a PgBouncer in "session" pooling, which both keep one server
# session per Django connection; "transaction" pooling hands each transaction whichever server
# connection is free, so nothing may outlive a transaction on the server (transaction_pooled).
POOLERS = ("none", "session", "transaction")
POSTGRES_ENGINE = postgres.ENGINE
# psycopg's own default: a query is prepared on its sixth run on a connection.
PREPARE_THRESHOLD = 5


def pooler_from_env() -> str:
    return envchoice("DATABASE_POOLER", "none", POOLERS)


def database_from_env(var_dir: Path, *, pooler: str = "none") -> dict[str, Any]:
    url = envstr("DATABASE_URL", f"sqlite:///{var_dir / 'acus.sqlite3'}")
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", 60, minimum=0)))
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is not a database URL: {exc}") from None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if pooler != "none":
            raise ConfigError("DATABASE_POOLER is for PostgreSQL; with a sqlite:// DATABASE_URL leave it at none")
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
        options = db.setdefault("OPTIONS", {})
        options["connect_timeout"] = envint("DB_CONNECT_TIMEOUT", 5, minimum=1)
        # Parameters travel apart from the SQL (server-side binding), so psycopg can prepare a
        # query it has run prepare_threshold times on this connection: PostgreSQL then skips
        # parsing and planning it, which cost more than running most of our queries (bench/README,
        # "Issue 22, third pass"). transaction_pooled turns the preparing off again.
        options["server_side_binding"] = True
        options["prepare_threshold"] = PREPARE_THRESHOLD
        # Django's backend with a health check that polls the socket instead of a SELECT 1.
        db["ENGINE"] = POSTGRES_ENGINE
    else:
        raise ConfigError("DATABASE_URL must be a postgres:// or sqlite:// URL")
    # A connection that died while PostgreSQL restarted is replaced, not reused.
    db["CONN_HEALTH_CHECKS"] = True
    if pooler == "transaction":
        db = transaction_pooled(db)
    return db


def transaction_pooled(db: dict[str, Any]) -> dict[str, Any]:
    """The settings of a PostgreSQL connection that reaches the server through a pooler in
    transaction mode (PgBouncer pool_mode=transaction): only what lives inside a transaction
    may be used, because the next transaction may run on another server connection.

    - No server-side cursors: outside atomic() Django declares them WITH HOLD, which outlive
      the transaction; `.iterator()` then reads the whole result on the client and hands it
      out in chunks (memory in proportion to the result, e.g. one clinic's consent chain).
    - No server-side prepared statements: psycopg 3 prepares a query after `prepare_threshold`
      runs, on one server connection, and would run it later by name on another (PgBouncer
      tracks protocol-level prepared statements only from 1.21, with max_prepared_statements;
      Debian bookworm ships 1.18). Server-side binding stays: its statements are unnamed and
      live within one Parse/Bind/Execute, so the SQL means the same with or without a pooler.
    - CONN_MAX_AGE keeps the connection to the pooler, which is cheap; the pooler decides how
      many server connections there are. CONN_HEALTH_CHECKS still replaces one the pooler
      closed (a pooler restart) before a request uses it.
    The time zone Django sets on connect (`SET TimeZone`) is safe: PgBouncer tracks TimeZone,
    DateStyle, client_encoding and application_name per client and replays them on each server
    connection it lends. core/checks.py warns about anything else that needs a session."""
    pooled = {**db, "OPTIONS": {**db.get("OPTIONS", {})}}
    pooled["DISABLE_SERVER_SIDE_CURSORS"] = True
    pooled["OPTIONS"]["prepare_threshold"] = None
    return pooled
