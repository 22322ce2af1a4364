"""The clinical record's API under /api/v1/ (its paths keep the appointment's prefix)."""

from django.urls import path

from care.api import symptoms

urlpatterns = [
    path("appointments/<int:pk>/symptoms", symptoms.SymptomReportApi.as_view(), name="api-appointment-symptoms"),
]
