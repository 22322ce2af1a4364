"""Who may read /metrics, and how the processes share their counts (README, "Metrics").

METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`.
METRICS_NETWORKS: the client addresses (core/addresses.py, so TRUSTED_PROXIES apply) that may
scrape. Without a token it defaults to loopback and the private ranges; with a token, to
anywhere (the token decides), unless set. Everyone else gets the site's plain 404.
PROMETHEUS_MULTIPROC_DIR: read by prometheus-client itself; with several gunicorn workers
(or a Celery worker on the same host) every process writes its counts there and a scrape sums
them. Checked here so a typo stops start-up rather than losing every count.
METRICS_WORKER_PORT: a Celery worker in its own container serves its own counts on this port
(0: off)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from config.env import ConfigError, check_networks, envint, envlist, envstr

PRIVATE_NETWORKS = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
ANYWHERE = ["0.0.0.0/0", "::/0"]


@dataclass(frozen=True)
class MetricsSettings:
    token: str
    networks: list[str]
    worker_port: int
    multiprocess_dir: str


def metrics_from_env() -> MetricsSettings:
    token = envstr("METRICS_TOKEN", "")
    if token and len(token) < 16:
        raise ConfigError("METRICS_TOKEN must be at least 16 characters (or unset)")
    networks = check_networks("METRICS_NETWORKS", envlist("METRICS_NETWORKS", ANYWHERE if token else PRIVATE_NETWORKS))
    port = envint("METRICS_WORKER_PORT", 0, minimum=0)
    if port > 65535:
        raise ConfigError(f"METRICS_WORKER_PORT must be a port number, not {port}")
    folder = envstr("PROMETHEUS_MULTIPROC_DIR", "")
    if folder:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"PROMETHEUS_MULTIPROC_DIR cannot be created: {exc}") from None
        if not os.access(folder, os.W_OK):
            raise ConfigError(f"PROMETHEUS_MULTIPROC_DIR must be a writable folder, not {folder!r}")
    return MetricsSettings(token=token, networks=networks, worker_port=port, multiprocess_dir=folder)
