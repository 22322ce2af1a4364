from django.urls import path

from booking import symptoms_api

urlpatterns = [
    path("appointments/<int:pk>/symptoms", symptoms_api.SymptomReportApi.as_view(), name="api-appointment-symptoms"),
]
