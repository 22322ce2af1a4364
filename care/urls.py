"""The patient's pages for courses of care under /care/. Each part keeps its own urlpatterns
beside its views, so the parts grow without touching one list."""

from django.urls import URLPattern

from care.views import course, discharge, exercises, health, measures, series

app_name = "care"

urlpatterns: list[URLPattern] = [
    *course.urlpatterns,
    *series.urlpatterns,
    *exercises.urlpatterns,
    *measures.urlpatterns,
    *health.urlpatterns,
    *discharge.urlpatterns,
]
