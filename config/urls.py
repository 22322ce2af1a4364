from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from booking import views as booking_views
from config import health

api_v1: list[URLPattern | URLResolver] = [
    path("", include("accounts.api_urls")),
    path("", include("booking.api_urls")),
    path("", include("booking.consent_api_urls")),
    path("", include("booking.symptoms_api_urls")),
    path("", include("booking.staff.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the CSP needs no inline code.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("", booking_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("manifest.webmanifest", booking_views.manifest, name="manifest"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("booking.urls")),
    path("", include("booking.audit.urls")),
    path("", include("booking.staff.urls")),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
