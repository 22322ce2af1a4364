"""DRF's content negotiation, remembered per Accept header.

DRF parses the Accept header into media types and matches them against the view's renderers
on every request: about 3 % of an API request's CPU under bench.load, for a header that is
the same few strings from every client ("application/json", "*/*", a browser's list). The
choice depends only on the renderers' classes and that header, as long as no format is asked
for (`?format=`, a `.json` suffix), so it is kept in memory and handed out again; what DRF
refuses (406) is never kept and is refused afresh by DRF itself. Bounded: the header is the
client's to choose, so the memory is emptied when it holds _MAX_ENTRIES choices.
"""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

_MAX_ENTRIES = 256

# (renderer classes, Accept header or None) -> (position of the chosen renderer, media type)
_chosen: dict[tuple[tuple[type, ...], str | None], tuple[int, str]] = {}


def clear() -> None:
    _chosen.clear()


class RememberingContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)  # the view's, made for this request (DRF passes a list)
        if format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE):
            return super().select_renderer(request, renderers, format_suffix)
        key = (tuple(type(renderer) for renderer in renderers), request.META.get("HTTP_ACCEPT"))
        known = _chosen.get(key)
        if known is not None:
            position, media_type = known
            return renderers[position], media_type
        renderer, media_type = super().select_renderer(request, renderers, None)
        position = next(i for i, candidate in enumerate(renderers) if candidate is renderer)
        if len(_chosen) >= _MAX_ENTRIES:
            clear()
        _chosen[key] = (position, media_type)
        return renderer, media_type
