"""The API's JSON body parser: malformed or absurdly nested JSON is a 400, never a 500.

Python's json module parses arrays and objects recursively, so a body of a few
kilobytes (`[[[[...]]]]`, a thousand levels) raises RecursionError, which DRF's own
parser does not catch. No body this API accepts is more than a few levels deep, so
anything deeper than MAX_DEPTH is refused before a serializer (or an error message
that walks the data) sees it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested too deeply (at most {MAX_DEPTH} levels of arrays and objects)."


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects nest deeper than `limit`; iterative, so it cannot recurse itself."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP, code="too_deep") from None
        if too_deep(data):
            raise ParseError(TOO_DEEP, code="too_deep")
        return data
