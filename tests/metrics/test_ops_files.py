"""The Grafana dashboard and the Prometheus files in ops/ parse, and every metric their
expressions name is one /metrics exposes after some activity, so they cannot drift apart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

from consent.models import ChainVerification
from consent.verification import record_chain_check
from tests.metrics.scrape import Scrape, scrape
from tests.resources import need_redis

pytestmark = pytest.mark.django_db
OPS = Path(__file__).resolve().parents[2] / "ops"
METRIC = re.compile(r"\bacus_[a-z0-9_]+\b")


def alert_rules() -> list[dict[str, Any]]:
    rules = yaml.safe_load((OPS / "prometheus" / "alerts.yml").read_text())
    return [rule for group in rules["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((OPS / "grafana" / "acus-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


@pytest.fixture
def exposed() -> Scrape:
    """A scrape after a request of each status class we can make cheaply, an integrity run and
    with Redis as the broker, so that every family has its series."""
    need_redis()
    web = Client()
    web.get("/healthz")
    web.get("/no-such-page")
    record_chain_check(trigger=ChainVerification.Trigger.COMMAND)
    return scrape(web)


def test_every_alert_and_panel_names_a_metric_the_endpoint_exposes(exposed: Scrape) -> None:
    expressions = [rule["expr"] for rule in alert_rules()] + dashboard_expressions()
    named = {name for expr in expressions for name in METRIC.findall(expr)}

    assert named, "no acus_ metric found in ops/"
    assert named <= exposed.names(), sorted(named - exposed.names())


def test_the_alerts_cover_outbox_lag_integrity_and_server_errors() -> None:
    by_metric = {name: rule["alert"] for rule in alert_rules() for name in METRIC.findall(rule["expr"])}

    assert {"acus_outbox_lag_seconds", "acus_consent_integrity_ok", "acus_http_requests_total"} <= set(by_metric)
    assert any('status="5xx"' in rule["expr"] for rule in alert_rules())
    for rule in alert_rules():
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]


def test_the_scrape_example_loads_the_alerts_and_scrapes_the_web() -> None:
    config = yaml.safe_load((OPS / "prometheus" / "prometheus.yml").read_text())

    assert config["rule_files"] == ["alerts.yml"]
    web = next(job for job in config["scrape_configs"] if job["job_name"] == "acus-web")
    assert web["metrics_path"] == "/metrics"
    assert web["authorization"]["type"] == "Bearer"
