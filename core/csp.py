"""django-csp's middleware, with the policy strings built once while the settings stand.

django-csp builds both headers' policy strings from the settings for every response:
copying the response's policy parts into a dict, expanding the directives and joining them.
Under bench.load that was 2.9 % of the web workers' CPU (bench/README, "Issue 22, seventh
pass"), for strings that come out the same every time unless the response or request changed
them. So when neither did (no @csp_update / @csp_replace / @csp_override on the view, no
nonce used), the strings are those django-csp's own build_policy made the first time, kept
until a CONTENT_SECURITY_POLICY setting changes (tests override them). Anything else goes
through django-csp as it is. tests/core/test_csp.py compares every case with django-csp's
middleware."""

from __future__ import annotations

import http.client
from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What a view's decorators leave on its response for django-csp to read.
_RESPONSE_PARTS = tuple(f"_csp_{part}{ro}" for part in ("config", "update", "replace") for ro in ("", "_ro"))
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@cache
def _policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) for the policy and the report-only one, as
    django-csp builds them for a response that changed nothing."""
    out = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
        out.append((header, build_policy(report_only=report_only), tuple(prefixes)))
    return tuple(out)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.cache_clear()


class StaticPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, part, None) is not None for part in _RESPONSE_PARTS
        ):
            return super().process_response(request, response)  # this response's own policy
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, policy, prefixes in _policies():
            # django-csp's conditions: a policy, no header yet, not exempted, not excluded.
            exempt = getattr(response, "_csp_exempt_ro" if header == HEADER_REPORT_ONLY else "_csp_exempt", False)
            if policy and header not in response and exempt is False and not request.path_info.startswith(prefixes):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
