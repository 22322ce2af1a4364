"""/healthz: is the service able to do its work right now?"""

from __future__ import annotations

import os

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import outages

BROKER_TIMEOUT_SECONDS = 2.0


def database_status() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not usable"; the reason goes to the log
        outages.note("database", exc.__class__.__name__)  # one WARNING when it goes, not one per probe
        return "unreachable"
    outages.note("database", None)
    return "ok"


def broker_status() -> str:
    url: str = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://")):
            client = redis.Redis.from_url(
                url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
            )
            try:
                client.ping()
            finally:
                client.close()
        else:
            # kombu's file-system transport: the broker is a folder we must be able to write.
            folder = str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
            os.makedirs(folder, exist_ok=True)
            if not os.access(folder, os.W_OK):
                raise PermissionError(folder)
    except Exception as exc:
        outages.note("broker", exc.__class__.__name__)
        return "unreachable"
    outages.note("broker", None)
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {"database": database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in parts.values())
    body = {"status": "ok" if healthy else "error", **parts}
    response = JsonResponse(body, status=200 if healthy else 503)
    # A 503 here is an outage already logged once by core.outages, not an error per probe:
    # Django's django.request would log an ERROR for every 5xx.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
