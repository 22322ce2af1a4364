"""/metrics: the Prometheus scrape (README, "Metrics").

Anyone not allowed (core.metrics.access) gets the site's own 404, as for a path that does
not exist, whatever the method: nothing tells a stranger the endpoint is there. CSRF is
exempt for that reason only (a POST would otherwise be a 403); the view never writes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from core.metrics import access, scrape


@csrf_exempt
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or not access.allowed(request):
        raise Http404
    return HttpResponse(scrape.render(), content_type=CONTENT_TYPE_PLAIN_0_0_4)  # every Prometheus reads it
