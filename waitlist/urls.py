"""The patient's waitlist pages. Each part keeps its own urlpatterns beside its views."""

from django.urls import URLPattern

from waitlist.views import entries, offers

app_name = "waitlist"

urlpatterns: list[URLPattern] = [*entries.urlpatterns, *offers.urlpatterns]
