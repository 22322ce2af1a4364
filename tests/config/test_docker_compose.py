"""Docker cannot run here, so the compose file is checked against the code it starts."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    """Every environment variable the settings read (config/settings.py, config/env.py's
    readers that settings call, such as the anchor keys, and the modules settings.py builds its
    parts with: config/database.py, config/observability.py for logs and Sentry, config/metrics.py)."""
    modules = ("settings.py", "env.py", "database.py", "observability.py", "metrics.py")
    source = "".join((ROOT / "config" / name).read_text() for name in modules)
    return set(re.findall(r"env(?:str|bool|int|list|choice|zone)\(\s*\"([A-Z_]+)\"", source))


def test_it_has_the_production_services_each_with_a_health_check(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert {"postgres", "redis", *APP_SERVICES} <= set(services)
    for name in ("postgres", "redis", *APP_SERVICES):
        assert "healthcheck" in services[name], name
        assert services[name]["healthcheck"]["test"], name


def test_every_app_service_gets_the_settings_production_needs(compose: dict[str, Any]) -> None:
    required = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SITE_URL"}
    for name in (*APP_SERVICES, "migrate"):
        env = compose["services"][name]["environment"]
        assert required <= set(env), name
        assert env["DEBUG"] == "0", name
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_compose_sets_no_variable_the_settings_do_not_read(compose: dict[str, Any]) -> None:
    env = compose["services"]["web"]["environment"]

    assert set(env) <= settings_variables(), set(env) - settings_variables()


def test_the_commands_start_what_exists_in_the_code(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]["command"]
    # --quiet (Celery's own option, before the command) only drops the start-up banner.
    worker = [word for word in compose["services"]["worker"]["command"] if word != "--quiet"]
    beat = [word for word in compose["services"]["beat"]["command"] if word != "--quiet"]

    assert web[0] == "gunicorn"
    module, attribute = web[1].split(":")
    assert hasattr(importlib.import_module(module), attribute)
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    assert hasattr(importlib.import_module("config"), "celery_app")
    # make run starts the same Celery app the containers do.
    assert "celery -A config worker --beat" in (ROOT / "scripts" / "run.sh").read_text()
    assert f"CMD {str(web).replace(chr(39), chr(34))}" in (ROOT / "Dockerfile").read_text()


def test_app_services_wait_for_healthy_state(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_web_health_check_probes_healthz(compose: dict[str, Any]) -> None:
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])

    assert "/healthz" in probe
    assert "8000" in probe and "8000:8000" in compose["services"]["web"]["ports"]


def test_it_trusts_forwarded_addresses_only_from_its_own_network(compose: dict[str, Any]) -> None:
    import ipaddress

    [network] = compose["networks"]["default"]["ipam"]["config"]
    trusted = compose["services"]["web"]["environment"]["TRUSTED_PROXIES"]

    assert trusted == f"${{TRUSTED_PROXIES:-{network['subnet']}}}"
    assert ipaddress.ip_network(network["subnet"]).is_private


# --- The production profile: web replicas behind nginx and PgBouncer ---------------------------

PRODUCTION = ("pgbouncer", "app", "proxy")


def test_the_production_profile_adds_a_pooler_replicas_and_a_proxy_each_with_a_health_check(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    for name in PRODUCTION:
        assert services[name]["profiles"] == ["production"], name
        assert services[name]["healthcheck"]["test"], name
    # The default shape is as it was: nothing in it waits for a profile.
    assert all("profiles" not in services[name] for name in ("postgres", "redis", "migrate", *APP_SERVICES))


def test_several_web_replicas_reach_postgresql_through_pgbouncer_in_transaction_pooling(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    app, web, pooler = services["app"], services["web"], services["pgbouncer"]

    assert app["deploy"]["replicas"] >= 2
    assert "ports" not in app  # only the proxy reaches them
    assert app["command"] == web["command"]
    assert app["environment"]["DATABASE_URL"].endswith("@pgbouncer:6432/acus")
    assert app["environment"]["DATABASE_POOLER"] == "transaction"
    # Everything else as the web service has it, TRUSTED_PROXIES (the network the proxy is on) too.
    same = {k: v for k, v in app["environment"].items() if k not in {"DATABASE_URL", "DATABASE_POOLER"}}
    assert same == {k: v for k, v in web["environment"].items() if k != "DATABASE_URL"}
    assert set(app["environment"]) <= settings_variables(), set(app["environment"]) - settings_variables()
    assert pooler["environment"]["POOL_MODE"] == "transaction"
    assert pooler["environment"]["LISTEN_PORT"] == "6432"
    assert pooler["environment"]["DATABASE_URL"].endswith("@postgres:5432/acus")
    assert app["depends_on"]["pgbouncer"]["condition"] == "service_healthy"
    assert "6432" in pooler["healthcheck"]["test"]


def test_migrations_run_straight_to_postgresql_not_through_the_pooler(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert "@postgres:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    assert "DATABASE_POOLER" not in services["migrate"]["environment"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_proxy_spreads_requests_over_the_replicas_and_says_who_asked(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    [mount] = proxy["volumes"]
    source, target = mount.split(":")[:2]
    conf = (ROOT / source).read_text()
    directives = [line.split("#")[0].strip() for line in conf.splitlines()]

    assert source == "./deploy/nginx.conf" and target.startswith("/etc/nginx/")
    assert "server app:8000 resolve;" in directives  # every replica, found again as they come and go
    assert "proxy_pass http://acus_web;" in directives
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in directives
    assert "proxy_set_header X-Forwarded-Proto $acus_forwarded_proto;" in directives
    assert "proxy_set_header Host $host;" in directives
    assert "location = /healthz {" in directives
    # Prometheus scrapes each replica itself; through the proxy /metrics is a 404 for anyone.
    metrics_block = conf.split("location = /metrics {", 1)[1].split("}", 1)[0]
    assert "return 404;" in metrics_block and "proxy_pass" not in metrics_block
    assert "listen 80;" in directives and "80:80" in proxy["ports"]
    assert "/healthz" in " ".join(proxy["healthcheck"]["test"])
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
