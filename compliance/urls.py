"""/staff/audit/...: the clinic admins' consent audit. Included from config/urls.py."""

from django.urls import path

from compliance.views import audit as views
from compliance.views import erasure as erasure_views

app_name = "audit"

urlpatterns = [
    path("staff/audit/", views.consent_list, name="home"),
    path("staff/audit/consents/", views.consent_list, name="consents"),
    path("staff/audit/consents/export.csv", views.consent_export, name="consents-csv"),
    path("staff/audit/consents/<int:pk>/", views.consent_detail, name="consent"),
    path("staff/audit/consents/<int:pk>/consent.pdf", views.consent_download, name="consent-pdf"),
    path("staff/audit/patients/<int:pk>/fhir.json", views.patient_fhir, name="patient-fhir"),
    path("staff/audit/access-log/", views.access_log, name="access-log"),
    path("staff/audit/integrity/", views.integrity_report, name="integrity"),
    path("staff/audit/erasure/", erasure_views.erasure_start, name="erasure"),
    path("staff/audit/erasure/<int:pk>/", erasure_views.erasure_done, name="erasure-done"),
]
