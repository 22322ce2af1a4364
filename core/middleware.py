"""Two answers decided once for every request: outages and private responses.

A database that cannot be reached is a 503 with Retry-After, never a 500.

While PostgreSQL restarts, fails over or refuses connections, every request that needs
it fails with OperationalError (or InterfaceError on a connection that died under it).
That is an outage the client should wait out, not a bug: the API answers 503 in its
error shape, pages answer a short 503 page, both with Retry-After. The next request
reconnects by itself (CONN_HEALTH_CHECKS replaces a dead persistent connection).

Django turns an exception into a response at every middleware layer, so this works
through `process_exception`, which sees whatever a view or its template rendering
raised. The middleware below this one (session, authentication, OTP, Axes) reaches
the database only lazily, from inside the view, so its failures arrive here too, and
Django skips saving a session on any 5xx answer.

Responses to anyone with a session or an API token are `private, no-store`
(PrivateResponsesMiddleware, below)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.rest import error_body

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Said in the request's language: LanguageMiddleware has run by the time a view fails.
DETAIL = _("The service cannot reach its database for a moment. Please try again in a few seconds.")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        match = request.resolver_match
        # The route's name, never the path: paths carry ids and sign-in tokens.
        where = match.view_name if match is not None else "unresolved"
        log.warning("database unavailable (%s): answered 503 to %s %s", type(exception).__name__, request.method, where)
        return unavailable(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("service_unavailable", DETAIL), status=503)
    else:
        # No request context: its user and messages would go back to the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # The warning above says it once; Django would add an ERROR line for every 5xx.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class PrivateResponsesMiddleware:
    """Every response to a caller with a session or an API token says `private, no-store`.

    Pages and API answers for a signed-in person carry health and personal data; no
    shared cache (a proxy, a CDN) may keep them, and the browser must not keep them on
    disk for the next person at a shared computer either. Deciding it here, once, means a
    new view cannot forget. The request's credentials decide, not `request.user`: that
    would load the session and user from the database on every answer, and a sign-in
    response (which sets the session cookie) counts too. A view that already sent
    `no-store` keeps its own value."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", "") or not _carries_credentials(request, response):
            return response
        response["Cache-Control"] = PRIVATE
        return response


PRIVATE = "private, no-store"


def _carries_credentials(request: HttpRequest, response: HttpResponse) -> bool:
    session_cookie = settings.SESSION_COOKIE_NAME
    return (
        "HTTP_AUTHORIZATION" in request.META or session_cookie in request.COOKIES or session_cookie in response.cookies
    )
