from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from booking.views import home
from core.views import health, metrics

# Django tries these in order, and a miss inside an include costs an exception: booking's
# (slots, holds, appointments: most API requests) goes first. No two includes share a path.
api_v1: list[URLPattern | URLResolver] = [
    path("", include("booking.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("care.api.urls")),
    path("", include("waitlist.api.urls")),
    path("", include("workspace.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the CSP needs no inline code.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),  # token or private network only (README, Metrics)
    path("manifest.webmanifest", home.manifest, name="manifest"),
    # The words static/js/*.js show, in the page's language (Django's JavaScript catalog).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("fhir/R4/", include("interop.urls")),
    path("", include("accounts.urls")),
    path("staff/passkeys/", include("accounts.passkey_urls")),
    path("", include("notifications.urls")),
    path("", include("booking.urls")),
    path("", include("care.urls")),
    path("", include("waitlist.urls")),
    path("", include("compliance.urls")),
    path("", include("interop.staff_urls")),
    path("", include("workspace.urls")),
]

handler404 = "core.views.errors.not_found"
handler500 = "core.views.errors.server_error"
