"""Start-up checks for the database settings (`manage.py check` and every server start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from core import postgres

# Django's own, and config/database.py's (Django's with a cheaper health check).
POSTGRESQL = ("django.db.backends.postgresql", postgres.ENGINE)


# Not tagged "database": Django runs those only with `check --database`, and this one reads
# settings alone, so every start (runserver, gunicorn, migrate, celery) says it.
@register()
def transaction_pooling(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return pooling_problems(getattr(settings, "DATABASE_POOLER", "none"), settings.DATABASES)


def pooling_problems(pooler: str, databases: dict[str, dict[str, Any]]) -> list[CheckMessage]:
    """Behind a pooler in transaction mode, anything that lives in a server session beyond one
    transaction lands on a connection another client gets next (config/database.py)."""
    if pooler != "transaction":
        return []
    found: list[CheckMessage] = []
    for alias, db in databases.items():
        found.extend(_pooled_alias(alias, db))
    return found


def _pooled_alias(alias: str, db: dict[str, Any]) -> list[CheckMessage]:
    if db.get("ENGINE") not in POSTGRESQL:
        return [
            Warning(
                f"DATABASE_POOLER=transaction, but database {alias!r} is not PostgreSQL",
                hint="A pooler is for PostgreSQL; set DATABASE_POOLER=none.",
                id="core.W101",
            )
        ]
    options = db.get("OPTIONS", {})
    found: list[CheckMessage] = []
    if not db.get("DISABLE_SERVER_SIDE_CURSORS"):
        found.append(
            Warning(
                f"Database {alias!r} uses server-side cursors behind a transaction pooler",
                hint="Set DISABLE_SERVER_SIDE_CURSORS=True: .iterator() outside atomic() declares a "
                "cursor WITH HOLD that outlives its transaction.",
                id="core.W102",
            )
        )
    if options.get("prepare_threshold") is not None:
        found.append(
            Warning(
                f"Database {alias!r} prepares statements on the server behind a transaction pooler",
                hint="Leave OPTIONS prepare_threshold at None: a statement prepared on one server "
                "connection is run by name on another.",
                id="core.W103",
            )
        )
    if options.get("assume_role"):
        found.append(
            Warning(
                f"Database {alias!r} sets a role (SET ROLE) behind a transaction pooler",
                hint="SET ROLE holds for the server session only: connect as that role instead.",
                id="core.W104",
            )
        )
    if options.get("options"):
        found.append(
            Warning(
                f"Database {alias!r} passes server settings at connect (OPTIONS options) behind a transaction pooler",
                hint="PgBouncer refuses or drops the options startup parameter: set them on the "
                "database or role (ALTER ROLE ... SET) instead.",
                id="core.W105",
            )
        )
    return found
