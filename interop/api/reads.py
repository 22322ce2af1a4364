"""What every read and search view shares: who is calling, the endpoint's base URL, a 404 in
FHIR's words, and a searchset Bundle for one page of results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from interop import resources
from interop.api.auth import client_key, patient_of
from interop.api.search import Params, paginate
from interop.selectors import Caller


def caller(request: Request) -> Caller:
    key = client_key(request)
    return Caller(key=key) if key is not None else Caller(patient=patient_of(request))


def base_url(request: Request) -> str:
    """The endpoint's absolute URL, ending in "/" (entries' fullUrl)."""
    return request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")


def not_found() -> exceptions.NotFound:
    return exceptions.NotFound(_("Not found."), code="not_found")


def pk_of(value: str) -> int:
    """A row's id from the URL: anything but a plain number names nothing (404)."""
    if not value.isdigit() or len(value) > 12:
        raise not_found()
    return int(value)


def searchset(
    request: Request,
    params: Params,
    items: Sequence[Any] | QuerySet[Any],
    build: Callable[[Any], dict[str, Any]],
    *,
    total: int | None = None,
) -> Response:
    page = paginate(request, params, items, total)
    entries = [build(item) for item in page.items]
    return Response(resources.bundle("searchset", entries, page.links, page.total, base=base_url(request)))
