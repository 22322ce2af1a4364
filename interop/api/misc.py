"""Answers that belong to no resource."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from interop.api.base import FHIR_JSON
from interop.api.outcome import outcome


def not_found(request: HttpRequest) -> HttpResponse:
    body = outcome(_("Not found."), code="not-found", details="not_found")
    return HttpResponse(json.dumps(body), status=404, content_type=f"{FHIR_JSON}; charset=utf-8")
