"""The waitlist's API under /api/v1/. Each part keeps its own urlpatterns beside its views."""

from django.urls import URLPattern

from waitlist.api import entries, offers

urlpatterns: list[URLPattern] = [*entries.urlpatterns, *offers.urlpatterns]
