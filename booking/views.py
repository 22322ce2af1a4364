"""Patient-facing pages of the booking journey."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/home.html")


@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """Lets a patient add Acus to their home screen."""
    body = {
        "name": "Acus — dry needling bookings",
        "short_name": "Acus",
        "start_url": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d52",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(body)
    response["Content-Type"] = "application/manifest+json"
    return response
