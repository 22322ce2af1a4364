"""SMART Scheduling Links: the `$bulk-publish` manifest and its NDJSON files. Public, no key:
the specification asks publishers to publish openly, and these files name no patient.

The files are stored rows (interop.publishing keeps them current), so a poll reads one row; a
client that sends the file's ETag back in If-None-Match gets a 304 without the body. `_since`
is ignored, as the specification allows: a client always gets the full data set."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from interop import bulk, publishing
from interop.api.base import FHIR_JSON
from interop.api.outcome import outcome
from interop.models import PublishedFile
from interop.resources import instant

NDJSON = "application/fhir+ndjson"
# The specification's hint to clients: poll the manifest no more than every five minutes.
MANIFEST_MAX_AGE = 300
# A file changes at most once a minute (the beat job); with its ETag a re-check is cheap.
FILE_MAX_AGE = 60
_ORDER = {kind: n for n, kind in enumerate(bulk.KINDS)}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    clinics = {c.pk: c for c in publishing.published_clinics()}
    rows = sorted(publishing.ensure_published(clinics.values(), now=now), key=lambda r: (r.clinic_id, _ORDER[r.kind]))
    output = [
        {
            "type": row.kind,
            "url": _absolute(reverse("fhir:bulk-file", args=[row.clinic_id, row.kind.lower()])),
            "extension": {"state": bulk.states(clinics[row.clinic_id])},
        }
        for row in rows
        if row.clinic_id in clinics
    ]
    body = {
        "transactionTime": instant(publishing.oldest_generation(rows) or now),
        "request": _absolute(reverse("fhir:bulk-publish")),
        "output": output,
        "error": [],
    }
    response = JsonResponse(body, json_dumps_params={"separators": (",", ":")})
    response["Cache-Control"] = f"max-age={MANIFEST_MAX_AGE}"
    return response


def _not_found() -> HttpResponse:
    body = outcome(_("Not found."), code="not-found", details="not_found")
    return HttpResponse(json.dumps(body), status=404, content_type=f"{FHIR_JSON}; charset=utf-8")


def _matches(header: str, etag: str) -> bool:
    wanted = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    return "*" in wanted or etag in wanted


@require_safe
def ndjson_file(request: HttpRequest, clinic_id: int, kind: str) -> HttpResponse:
    kinds = {k.lower(): k for k in bulk.KINDS}
    if kind not in kinds:
        return _not_found()
    row = PublishedFile.objects.filter(clinic_id=clinic_id, kind=kinds[kind]).first()
    if row is None:
        clinic = next((c for c in publishing.published_clinics() if c.pk == clinic_id), None)
        if clinic is None:
            return _not_found()
        row = publishing.publish_clinic(clinic)[kinds[kind]]
    if _matches(request.headers.get("If-None-Match", ""), row.etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(row.body, content_type=NDJSON)
    response["ETag"] = f'"{row.etag}"'
    response["Cache-Control"] = f"max-age={FILE_MAX_AGE}"
    response["Last-Modified"] = row.generated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
