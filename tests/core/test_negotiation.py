"""core.negotiation remembers DRF's choice of renderer per Accept header: every answer, the
first time and from memory, must be the one DRF's DefaultContentNegotiation gives, and what
DRF refuses must stay refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core import negotiation
from core.negotiation import RememberingContentNegotiation
from core.renderers import FastJSONRenderer
from interop.api.base import FhirJSONRenderer, PlainJSONRenderer

RENDERER_SETS: list[list[type[BaseRenderer]]] = [
    [FastJSONRenderer],
    [FhirJSONRenderer, PlainJSONRenderer],
    [JSONRenderer, BrowsableAPIRenderer],
]
ACCEPTS: list[str | None] = [
    None,
    "",
    "*/*",
    "application/json",
    "application/json; indent=4",
    "application/fhir+json",
    "application/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/html",
    "application/xml",
    "image/png, text/plain",
]


@pytest.fixture(autouse=True)
def _empty_memory() -> Iterator[None]:
    negotiation.clear()
    yield
    negotiation.clear()


def _request(accept: str | None, query: str = "") -> Request:
    headers: dict[str, Any] = {} if accept is None else {"HTTP_ACCEPT": accept}
    return Request(APIRequestFactory().get(f"/api/v1/clinics{query}", **headers))


def _choose(negotiator: Any, accept: str | None, classes: list[type[BaseRenderer]], **kw: Any) -> Any:
    renderers = [cls() for cls in classes]
    try:
        renderer, media_type = negotiator.select_renderer(_request(accept, kw.get("query", "")), renderers)
    except (NotAcceptable, Http404) as exc:
        return type(exc)
    return type(renderer), media_type


@pytest.mark.parametrize("classes", RENDERER_SETS, ids=lambda c: "+".join(cls.__name__ for cls in c))
@pytest.mark.parametrize("accept", ACCEPTS)
def test_it_chooses_what_drf_chooses_the_first_time_and_from_memory(
    accept: str | None, classes: list[type[BaseRenderer]]
) -> None:
    expected = _choose(DefaultContentNegotiation(), accept, classes)
    assert _choose(RememberingContentNegotiation(), accept, classes) == expected
    assert _choose(RememberingContentNegotiation(), accept, classes) == expected


def test_a_second_request_with_the_same_header_is_answered_from_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    drf = DefaultContentNegotiation.select_renderer

    def counting(self: Any, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        calls.append(request.META.get("HTTP_ACCEPT"))
        return drf(self, request, renderers, format_suffix)

    monkeypatch.setattr(DefaultContentNegotiation, "select_renderer", counting)
    for _ in range(3):
        _choose(RememberingContentNegotiation(), "application/json", [FastJSONRenderer])
    _choose(RememberingContentNegotiation(), "*/*", [FastJSONRenderer])
    _choose(RememberingContentNegotiation(), "application/json", [FhirJSONRenderer, PlainJSONRenderer])
    assert calls == ["application/json", "*/*", "application/json"]


def test_a_refusal_is_not_remembered_as_a_choice() -> None:
    for _ in range(2):
        assert _choose(RememberingContentNegotiation(), "text/html", [FastJSONRenderer]) is NotAcceptable
    assert not negotiation._chosen


@pytest.mark.parametrize("query", ["?format=json", "?format=api", "?format=xml"])
def test_a_format_in_the_query_is_negotiated_by_drf_every_time(query: str) -> None:
    classes: list[type[BaseRenderer]] = [JSONRenderer, BrowsableAPIRenderer]
    expected = _choose(DefaultContentNegotiation(), "text/html", classes, query=query)
    for _ in range(2):
        assert _choose(RememberingContentNegotiation(), "text/html", classes, query=query) == expected
    assert not negotiation._chosen
    # ... and it does not colour what the same header gets without it.
    assert _choose(RememberingContentNegotiation(), "text/html", classes) == _choose(
        DefaultContentNegotiation(), "text/html", classes
    )


def test_the_memory_is_bounded_however_many_headers_clients_make_up() -> None:
    for n in range(negotiation._MAX_ENTRIES * 3):
        assert _choose(RememberingContentNegotiation(), f"application/json; v={n}", [FastJSONRenderer])[0] is (
            FastJSONRenderer
        )
        assert len(negotiation._chosen) <= negotiation._MAX_ENTRIES


def test_the_api_uses_it_and_still_refuses_what_it_cannot_write(client: Any, db: None) -> None:
    assert client.get("/api/v1/clinics", HTTP_ACCEPT="application/json").status_code == 200
    assert list(negotiation._chosen.values()) == [(0, "application/json")]
    refused = client.get("/api/v1/clinics", HTTP_ACCEPT="application/xml")
    assert refused.status_code == 406
    assert client.get("/api/v1/clinics", HTTP_ACCEPT="application/xml").status_code == 406
    assert client.get("/api/v1/clinics", HTTP_ACCEPT="application/json").status_code == 200
