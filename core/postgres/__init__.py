"""Django's PostgreSQL backend with Acus's changes (base.py): the ENGINE config/database.py sets."""

ENGINE = "core.postgres"
