"""The API renders with orjson (core.renderers.FastJSONRenderer) but must write what DRF's
JSONRenderer wrote: the same bytes for the values our serializers produce, and DRF's own
spelling of datetimes, dates, times, decimals and the rest."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from core.renderers import FastJSONRenderer

LONDON = ZoneInfo("Europe/London")

PAYLOADS: list[Any] = [
    {"id": 1, "name": "Ana Núñez", "ok": True, "none": None, "ratio": 0.25, "list": [1, "two", 3.5]},
    [{"start": "2026-03-30T09:00:00+01:00", "practitioner": 7}] * 3,
    {"utc": datetime(2026, 12, 6, 9, 30, tzinfo=UTC), "micro": datetime(2026, 12, 6, 9, 30, 0, 123456, tzinfo=UTC)},
    {"summer": datetime(2026, 7, 1, 9, 0, tzinfo=LONDON), "naive": datetime(2026, 7, 1, 9, 0)},
    {"day": date(2026, 2, 28), "at": time(9, 15), "at_micro": time(9, 15, 0, 500)},
    {"price": Decimal("12.50"), "tiny": Decimal("0.1")},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "words": gettext_lazy("Held")},
    {"span": timedelta(minutes=90)},
    {1: "int key", "nested": {"deeper": [{"x": [None, False]}]}},
    {"big": 2**70},  # beyond orjson's 64 bits: DRF's renderer writes it
    {"emoji": "😀", "quote": 'say "hi"', "slash": "a/b", "control": "tab\there"},
    [],
    {},
]


@pytest.mark.parametrize("data", PAYLOADS)
def test_it_writes_the_same_bytes_as_drf(data: Any) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_it_keeps_drfs_pretty_printing_when_asked() -> None:
    data = {"a": [1, 2]}
    media = "application/json; indent=4"
    assert FastJSONRenderer().render(data, media) == JSONRenderer().render(data, media)
    assert json.loads(FastJSONRenderer().render(data, media)) == data


def test_it_renders_nothing_for_no_data() -> None:
    assert FastJSONRenderer().render(None) == b""


def test_the_api_answers_with_it(client: Any, db: None) -> None:
    response = client.get("/api/v1/clinics", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert type(response.accepted_renderer) is FastJSONRenderer
    assert response["Content-Type"] == "application/json"
