"""The staff API's calendars (/api/v1/staff/calendars): credentials go in and never come out."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from calendars.models import Connection
from tests.calendars.servers import IcsServer, Radicale
from tests.workspace.calendar_world import ICS, calendar_keys, connected  # noqa: F401
from tests.workspace.factories import Desk

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "kind",
    "name",
    "host",
    "paused",
    "write_visits",
    "state",
    "last_success_at",
    "last_attempt_at",
    "last_failure",
    "busy_count",
}


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_connecting_answers_without_any_credential(
    desk: Desk, alex_client: Client, radicale: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url, username, password = radicale.new_calendar(name="Hospital")

    created = send(
        alex_client,
        "post",
        "/api/v1/staff/calendars",
        {"kind": "caldav", "url": url, "username": username, "password": password},
    )
    listed = alex_client.get("/api/v1/staff/calendars")

    assert created.status_code == 201
    assert set(created.json()) == FIELDS
    assert created.json()["state"] == "never_synced" and created.json()["write_visits"] is True
    for response in (created, listed):
        text = response.content.decode()
        assert password not in text and url not in text and username not in text and "secret" not in text
    assert password not in caplog.text and url not in caplog.text


def test_a_wrong_password_is_a_400_on_the_password(desk: Desk, alex_client: Client, radicale: Radicale) -> None:
    url, username, _password = radicale.new_calendar()

    response = send(
        alex_client,
        "post",
        "/api/v1/staff/calendars",
        {"kind": "caldav", "url": url, "username": username, "password": "nope-123"},
    )

    assert response.status_code == 400
    assert "refused the username or password" in response.json()["fields"]["password"][0]
    assert "nope-123" not in response.content.decode()
    assert not Connection.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "caldav", "url": "https://example.com/"},
        {"kind": "ics", "url": 5},
        {"kind": "outlook", "url": "https://example.com/"},
        {"kind": "ics", "url": "ftp://example.com/a.ics"},
    ],
)
def test_bad_input_is_a_400_with_field_errors(desk: Desk, alex_client: Client, data: dict[str, Any]) -> None:
    response = send(alex_client, "post", "/api/v1/staff/calendars", data)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["fields"]


def test_an_ics_address_path_never_comes_back(desk: Desk, alex_client: Client, ics_server: IcsServer) -> None:
    url = ics_server.serve("/hidden-path-33/basic.ics", ICS)

    created = send(alex_client, "post", "/api/v1/staff/calendars", {"kind": "ics", "url": url, "name": "Google"})
    pk = created.json()["id"]

    assert created.status_code == 201 and created.json()["host"] == "127.0.0.1"
    for response in (
        created,
        alex_client.get(f"/api/v1/staff/calendars/{pk}"),
        alex_client.get("/api/v1/staff/calendars"),
    ):
        assert "hidden-path-33" not in response.content.decode()


def test_patch_changes_name_pause_and_write_target(desk: Desk, alex_client: Client, radicale: Radicale) -> None:
    first = connected(desk.alex, radicale, name="First")
    second = connected(desk.alex, radicale, name="Second")

    response = send(
        alex_client,
        "patch",
        f"/api/v1/staff/calendars/{second.pk}",
        {"name": "Rota", "paused": True, "write_visits": True},
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["paused"], response.json()["state"]) == ("Rota", True, "paused")
    assert response.json()["write_visits"] is True
    assert not Connection.objects.get(pk=first.pk).write_visits
    bad = send(alex_client, "patch", f"/api/v1/staff/calendars/{second.pk}", {"paused": "yes"})
    assert bad.status_code == 400 and "paused" in bad.json()["fields"]
    blank = send(alex_client, "patch", f"/api/v1/staff/calendars/{second.pk}", {"name": " "})
    assert blank.status_code == 400 and "name" in blank.json()["fields"]
    elsewhere = send(
        alex_client, "patch", f"/api/v1/staff/calendars/{second.pk}", {"calendar_url": "http://127.0.0.1:1/x/"}
    )
    assert elsewhere.status_code == 400 and "calendar_url" in elsewhere.json()["fields"]


def test_test_sync_and_delete(
    desk: Desk, alex_client: Client, radicale: Radicale, django_capture_on_commit_callbacks: Any
) -> None:
    connection = connected(desk.alex, radicale)
    base = f"/api/v1/staff/calendars/{connection.pk}"

    assert send(alex_client, "post", base + "/test").json() == {
        "ok": True,
        "failure": "",
        "detail": "Acus reached the calendar and could read it.",
    }
    assert send(alex_client, "post", base + "/sync").status_code == 202
    assert send(alex_client, "delete", base).status_code == 204
    assert not Connection.objects.exists()


def test_another_practitioners_calendar_is_a_404(desk: Desk, priya_client: Client, radicale: Radicale) -> None:
    connection = connected(desk.alex, radicale)
    base = f"/api/v1/staff/calendars/{connection.pk}"

    assert priya_client.get(base).status_code == 404
    assert send(priya_client, "patch", base, {"paused": True}).status_code == 404
    assert send(priya_client, "post", base + "/test").status_code == 404
    assert send(priya_client, "post", base + "/sync").status_code == 404
    assert send(priya_client, "delete", base).status_code == 404
    assert priya_client.get("/api/v1/staff/calendars").json() == []
    assert Connection.objects.filter(pk=connection.pk, paused=False).exists()
