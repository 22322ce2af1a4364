"""Logs and error reporting, from the environment: LOG_LEVEL and LOG_FORMAT for every
process, and Sentry (SENTRY_DSN) only when a DSN is set, with core.error_scrub deciding
what an event may carry. With no DSN nothing is sent and the SDK is not even started."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from config.env import ConfigError, envchoice, envstr
from config.log_config import logging_config
from core.error_scrub import scrub_breadcrumb, scrub_event

LOG_FORMATS = ("json", "plain")


def log_format() -> str:
    return envchoice("LOG_FORMAT", "json", LOG_FORMATS)


def logging_from_env() -> dict[str, Any]:
    return logging_config(envstr("LOG_LEVEL", "INFO"), log_format())


def start_error_reporting(*, release: str | None = None) -> bool:
    """sentry_sdk.init when SENTRY_DSN is set; True if it was."""
    dsn = envstr("SENTRY_DSN", "")
    if not dsn:
        return False
    init_sentry(dsn, environment=envstr("SENTRY_ENVIRONMENT", "production"), traces=_sample_rate(), release=release)
    return True


def init_sentry(dsn: str, *, environment: str, traces: float = 0.0, release: str | None = None, **extra: Any) -> None:
    """The one place Sentry is configured; tests pass a recording `transport` in `extra`."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces,
        # send_default_pii stays unset, which means off (no user, cookies, IP or bodies from the
        # integrations): this SDK deprecates passing it, and leaving `data_collection` unset too
        # keeps the SDK's own denylist scrubber on as a second layer under ours.
        include_local_variables=False,  # frames' variables hold request data and patients
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        **extra,
    )


def _sample_rate() -> float:
    raw = envstr("SENTRY_TRACES_SAMPLE_RATE", "0")
    try:
        rate = float(raw)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ConfigError(f"SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1, not {raw!r}")
    return rate
