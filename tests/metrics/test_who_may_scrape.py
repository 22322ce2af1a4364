"""/metrics answers the private network or the token's holder; anyone else gets the site's
plain 404, the same as for a path that does not exist."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from config.env import ConfigError
from config.metrics import ANYWHERE, PRIVATE_NETWORKS, MetricsSettings, metrics_from_env

pytestmark = pytest.mark.django_db
TOKEN = "s3cret-scrape-token-of-some-length"
OUTSIDER = "203.0.113.9"
PROXY = "10.0.0.2"


def with_token(settings: object, networks: list[str] = ANYWHERE) -> None:
    settings.METRICS = MetricsSettings(token=TOKEN, networks=networks, worker_port=0, multiprocess_dir="")  # type: ignore[attr-defined]


def answer(client: Client, address: str, path: str = "/metrics", **headers: str) -> tuple[int, bytes]:
    response = client.get(path, REMOTE_ADDR=address, headers=headers)
    return response.status_code, response.content


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.1.2.3", "172.20.0.5", "192.168.1.20", "fd00::7"])
def test_the_private_network_may_scrape_without_a_token(client: Client, address: str) -> None:
    status, body = answer(client, address)

    assert status == 200
    assert b"acus_http_requests_total" in body


def page_for(client: Client, address: str, path: str) -> tuple[int, str, list[str]]:
    """The answer with its own path and CSRF token taken out (the 404 page names both)."""
    response = client.get(path, REMOTE_ADDR=address)
    body = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode()).replace(path, "PATH")
    return response.status_code, body, sorted(name for name, _ in response.items() if name != "X-Request-ID")


@pytest.mark.parametrize("address", [OUTSIDER, "8.8.8.8", "2001:db8::1", "172.32.0.1"])
def test_anyone_else_gets_the_same_404_as_a_path_that_does_not_exist(client: Client, address: str) -> None:
    metrics = page_for(client, address, "/metrics")

    assert metrics[0] == 404
    assert metrics == page_for(client, address, "/no-such-page")


def test_a_post_from_the_private_network_is_a_404_too(client: Client) -> None:
    response = client.post("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 404


def test_with_a_token_set_only_its_bearer_may_scrape(client: Client, settings: object) -> None:
    with_token(settings)

    assert answer(client, "127.0.0.1")[0] == 404  # the network alone no longer suffices
    assert answer(client, OUTSIDER, Authorization="Bearer wrong-token-of-some-length")[0] == 404
    assert answer(client, OUTSIDER, Authorization=f"Token {TOKEN}")[0] == 404
    assert answer(client, OUTSIDER, Authorization=f"Bearer {TOKEN}")[0] == 200
    assert answer(client, OUTSIDER, Authorization=f"bearer {TOKEN}")[0] == 200


def test_a_token_and_networks_both_apply_when_both_are_set(client: Client, settings: object) -> None:
    with_token(settings, networks=["10.0.0.0/8"])

    assert answer(client, OUTSIDER, Authorization=f"Bearer {TOKEN}")[0] == 404
    assert answer(client, "10.9.9.9", Authorization=f"Bearer {TOKEN}")[0] == 200


def test_the_address_is_the_one_our_proxies_saw(client: Client, settings: object) -> None:
    settings.TRUSTED_PROXIES = [PROXY]  # type: ignore[attr-defined]

    # Through our proxy: the caller it names decides, not the proxy's own private address.
    assert answer(client, PROXY, **{"X-Forwarded-For": OUTSIDER})[0] == 404
    assert answer(client, PROXY, **{"X-Forwarded-For": "10.0.0.7"})[0] == 200
    # From outside, a forged header changes nothing.
    assert answer(client, OUTSIDER, **{"X-Forwarded-For": "127.0.0.1"})[0] == 404


def test_the_settings_default_to_the_private_network_and_refuse_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("METRICS_TOKEN", "METRICS_NETWORKS", "METRICS_WORKER_PORT", "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert metrics_from_env().networks == PRIVATE_NETWORKS
    monkeypatch.setenv("METRICS_TOKEN", TOKEN)
    assert metrics_from_env().networks == ANYWHERE

    monkeypatch.setenv("METRICS_TOKEN", "short")
    with pytest.raises(ConfigError, match="METRICS_TOKEN"):
        metrics_from_env()
    monkeypatch.setenv("METRICS_TOKEN", TOKEN)
    monkeypatch.setenv("METRICS_NETWORKS", "10.0.0.0/8,not-a-network")
    with pytest.raises(ConfigError, match="METRICS_NETWORKS"):
        metrics_from_env()
    monkeypatch.setenv("METRICS_NETWORKS", "10.0.0.0/8")
    monkeypatch.setenv("METRICS_WORKER_PORT", "70000")
    with pytest.raises(ConfigError, match="METRICS_WORKER_PORT"):
        metrics_from_env()
