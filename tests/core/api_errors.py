"""The one shape of every API error (core.rest): {"code", "detail", "fields"}."""

from __future__ import annotations


def assert_error_shape(body: dict[str, object]) -> None:
    assert set(body) == {"code", "detail", "fields"}
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["fields"], dict)
