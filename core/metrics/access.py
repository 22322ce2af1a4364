"""Who may read /metrics: METRICS_TOKEN as a Bearer token when set, and a client address
(core.addresses.client_ip, so only our own proxies' X-Forwarded-For counts) inside
METRICS_NETWORKS. The view answers anyone else exactly like an unknown path."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest

from core.addresses import client_ip, within


def allowed(request: HttpRequest) -> bool:
    config = settings.METRICS
    if config.token:
        scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(offered.strip().encode(), config.token.encode()):
            return False
    address = client_ip(request)
    return address is not None and within(address, tuple(config.networks))
