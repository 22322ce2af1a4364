"""Settings come from the environment and refuse bad values at start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.config.environment import ROOT, manage, settings_env


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "DEBUG")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["<unset>", "", "short", "django-insecure-" + "a" * 50, "a" * 60])
def test_it_refuses_to_start_without_a_real_secret_key(key: str) -> None:
    result = manage("check", SECRET_KEY=key)

    assert result.returncode != 0
    assert "SECRET_KEY must be a random string" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of"),
        ("DATABASE_URL", "mysql://db/acus", "DATABASE_URL must be a postgres:// or sqlite:// URL"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("SMS_BACKEND", "pigeon", "SMS_BACKEND must be one of"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS must be set"),
        ("DEFAULT_CLINIC_TIME_ZONE", "Europe/Atlantis", "must be an IANA time zone"),
        ("TRUSTED_PROXIES", "10.0.0.1,proxy.internal", "TRUSTED_PROXIES must list IP addresses or CIDR ranges"),
    ],
)
def test_it_fails_loudly_on_a_bad_value(name: str, value: str, message: str) -> None:
    result = manage("check", **{name: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_production_uses_argon2_first_and_secure_cookies() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=settings_env(), capture_output=True, text=True, timeout=60
    )

    assert result.stdout.split() == ["django.contrib.auth.hashers.Argon2PasswordHasher", "True", "True", "True"]


def test_production_cookies_are_secure_and_the_session_cookie_is_out_of_scripts_reach() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=settings_env(), capture_output=True, text=True, timeout=60
    )

    assert result.stdout.split() == ["True", "True", "True", "Lax", "Lax", "True"], result.stderr


def test_the_default_database_is_sqlite_in_immediate_wal_mode(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.db import connection as c; "
        "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); "
        "print(c.vendor, cur.fetchone()[0], c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    env = settings_env(DEBUG="1", DATABASE_URL="<unset>", ACUS_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.stdout.split() == ["sqlite", "wal", "IMMEDIATE"], result.stderr
    assert (tmp_path / "acus.sqlite3").exists()


def test_without_redis_celery_uses_the_file_system_broker_under_var(tmp_path: Path) -> None:
    code = (
        "from config.celery import app; print(app.conf.broker_url, app.conf.broker_transport_options['data_folder_in'])"
    )
    env = settings_env(DEBUG="1", REDIS_URL="<unset>", ACUS_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.stdout.split() == ["filesystem://", str(tmp_path / "broker" / "queue")], result.stderr
