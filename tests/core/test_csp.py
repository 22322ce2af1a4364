"""core.csp keeps the policy strings of responses that change nothing: every response must
carry exactly the headers django-csp's own middleware gives it, and a nonce asked for after
the headers are written must still be refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONE, SELF
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from core.csp import StaticPolicyCSPMiddleware

View = Callable[[HttpRequest], Any]

HEADERS = (HEADER, HEADER_REPORT_ONLY)
REPORT_ONLY = {"DIRECTIVES": {"default-src": [NONE], "report-uri": "/csp-report/"}}
EXCLUDING = {"EXCLUDE_URL_PREFIXES": ["/api/"], "DIRECTIVES": {"default-src": [SELF], "img-src": [SELF, "data:"]}}


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def with_status(status: int) -> View:
    return lambda request: HttpResponse("x", status=status)


def nonce_used(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]


def header_already_set(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok")
    response[HEADER] = "default-src 'none'"
    return response


VIEWS: dict[str, View] = {
    "plain": plain,
    "404": with_status(404),
    "500": with_status(500),
    "nonce used": nonce_used,
    "header already set": header_already_set,
    "exempt": csp_exempt()(plain),
    "exempt report-only": csp_exempt(REPORT_ONLY=True)(plain),
    "update": csp_update({"img-src": ["https://example.org"]})(plain),
    "replace": csp_replace({"img-src": None})(plain),
    "update report-only": csp_update({"img-src": ["https://example.org"]}, REPORT_ONLY=True)(plain),
}
SETTINGS: dict[str, dict[str, Any]] = {
    "the project's": {},
    "report-only too": {"CONTENT_SECURITY_POLICY_REPORT_ONLY": REPORT_ONLY},
    "excluding /api/": {"CONTENT_SECURITY_POLICY": EXCLUDING},
    "none": {"CONTENT_SECURITY_POLICY": None},
}


def answer(middleware_class: type[CSPMiddleware], view: View, path: str) -> Any:
    """The response's two headers, its status, and whether a nonce asked for afterwards is
    refused (it is once the headers were written, and no nonce was used before)."""
    request = RequestFactory().get(path)
    response: Any = middleware_class(view)(request)
    try:
        str(request.csp_nonce)  # type: ignore[attr-defined]
        late_nonce = "given"
    except CSPNonceError:
        late_nonce = "refused"
    return {h: response.get(h) for h in HEADERS}, response.status_code, late_nonce


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("settings_name", list(SETTINGS))
@pytest.mark.parametrize("view_name", list(VIEWS))
@pytest.mark.parametrize("path", ["/api/v1/slots", "/book/"])
def test_every_response_carries_the_headers_django_csp_gives_it(
    view_name: str, settings_name: str, debug: bool, path: str
) -> None:
    with override_settings(DEBUG=debug, **SETTINGS[settings_name]):
        ours = answer(StaticPolicyCSPMiddleware, VIEWS[view_name], path)
        theirs = answer(CSPMiddleware, VIEWS[view_name], path)
    assert ours == theirs


def test_a_changed_setting_is_the_next_responses_policy() -> None:
    first = answer(StaticPolicyCSPMiddleware, plain, "/book/")[0]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": [NONE]}}):
        changed = answer(StaticPolicyCSPMiddleware, plain, "/book/")[0]
    again = answer(StaticPolicyCSPMiddleware, plain, "/book/")[0]
    assert changed[HEADER] == "default-src 'none'"
    assert first == again != changed


@pytest.mark.django_db
def test_the_projects_pages_and_api_carry_the_policy(client: Any) -> None:
    for path in ("/healthz", "/api/v1/clinics"):
        assert "frame-ancestors 'none'" in client.get(path)[HEADER]
