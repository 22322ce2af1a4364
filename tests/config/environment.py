"""A production-like environment for running manage.py in a child process, so settings are
read from the environment exactly as a deployment reads them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_KEY = "k3Jx9vQ2mPz8Lw4Rt7Yb1Nc6Hd0Fg5Se-uAoIeKqWnVyXzT_rBpMs"  # 52 random-looking characters
ANCHOR_KEY = "Vb7Qw2Lx9Kp4Zt8Rm3Nc6Hy1Fd5Gs0Ja"  # 32 random-looking characters
CALENDAR_KEY = "3q2-7wEAsvyh4SPG2UfY5hRr_9mOJkYk8bR1s0T2VXc="  # a Fernet key (32 url-safe base64 bytes)


def settings_env(**overrides: str) -> dict[str, str]:
    skip = {
        "DATABASE_URL",
        "REDIS_URL",
        "DEBUG",
        "SECRET_KEY",
        "ANCHOR_KEY",
        "ANCHOR_KEYS",
        "CALENDAR_KEYS",
        "CALENDAR_ALLOW_PRIVATE_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SITE_URL",
    }
    env = {k: v for k, v in os.environ.items() if k not in skip and not k.startswith("WEBAUTHN_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ALLOWED_HOSTS": "acus.example.org",
            "SECRET_KEY": PROD_KEY,
            "ANCHOR_KEY": ANCHOR_KEY,
            "CALENDAR_KEYS": CALENDAR_KEY,
            "DEBUG": "0",
        }
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v != "<unset>"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=settings_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
