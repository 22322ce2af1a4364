"""The home page and the web app manifest. The journey's pages are beside it in booking/views/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from booking.views.choose import clinics_with_treatments


def home(request: HttpRequest) -> HttpResponse:
    """The clinic (or clinics), their treatments, and one "Book" action."""
    clinics = [c for c in clinics_with_treatments() if c.bookable]  # type: ignore[attr-defined]
    return render(request, "booking/home.html", {"clinics": clinics})


@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """Lets a patient add Acus to their home screen, named in their language (the response varies
    on Accept-Language and Cookie, as every response does: core.language)."""
    body = {
        "name": _("Acus — dry needling bookings"),
        "short_name": "Acus",
        "description": _("Book dry needling, answer the health questions and sign the consent on your phone."),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "lang": translation.to_locale(translation.get_language() or "en-gb").replace("_", "-"),
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
