"""The API's JSON renderer: orjson's speed with DRF's JSONRenderer's output.

DRF renders with the standard library's json and its JSONEncoder, a large share of a small
answer's CPU. orjson writes the same compact UTF-8 JSON for dicts, lists, strings, numbers
and booleans; where the two differ the values go through DRF's own encoder instead:
datetimes (DRF writes "Z" for UTC, orjson "+00:00"), dates, times, Decimals (DRF writes a
number), lazy translations, UUIDs. Whatever orjson cannot encode at all (integers beyond 64
bits, a non-JSON key) falls back to DRF's renderer, so an answer never changes meaning;
tests/core/test_renderers.py compares the two.
"""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
_encoder = JSONEncoder()


def _default(value: Any) -> Any:
    return _encoder.default(value)


class FastJSONRenderer(JSONRenderer):
    """Same media type, format and charset as JSONRenderer, which it stands in for."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        if accepted_media_type and "indent" in accepted_media_type:
            # `Accept: application/json; indent=4` asks for DRF's pretty printing.
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=_default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
