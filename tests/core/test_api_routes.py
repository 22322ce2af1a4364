"""config.urls tries the API's includes in order of traffic, which is safe only while no two of
them answer the same path: then the order changes speed, never which view answers."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, resolve

from config.urls import api_v1


def _routes(entry: URLPattern | URLResolver, prefix: str = "") -> list[str]:
    if isinstance(entry, URLResolver):
        return [route for child in entry.url_patterns for route in _routes(child, prefix + str(entry.pattern))]
    return [prefix + str(entry.pattern)]


def test_no_two_api_includes_answer_the_same_path() -> None:
    owner: dict[str, int] = {}
    for position, entry in enumerate(api_v1):
        for route in _routes(entry):
            assert owner.setdefault(route, position) == position, f"{route} is in two includes"
    assert len(owner) > 50


def test_the_busiest_routes_resolve_to_their_views() -> None:
    def view(path: str) -> type:
        return resolve(path).func.view_class  # type: ignore[attr-defined]

    assert view("/api/v1/slots").__name__ == "SlotListApi"
    assert view("/api/v1/appointments").__name__ == "AppointmentListApi"
    assert view("/api/v1/me").__module__.startswith("accounts.")
    assert view("/api/v1/appointments/7/symptoms").__module__.startswith("care.")
