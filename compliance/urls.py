"""/staff/audit/...: the clinic admins' consent audit. Included from config/urls.py."""

from django.urls import path

from compliance.views import access_log, consents, erasure, integrity

app_name = "audit"

urlpatterns = [
    path("staff/audit/", consents.consent_list, name="home"),
    path("staff/audit/consents/", consents.consent_list, name="consents"),
    path("staff/audit/consents/export.csv", consents.consent_export, name="consents-csv"),
    path("staff/audit/consents/<int:pk>/", consents.consent_detail, name="consent"),
    path("staff/audit/consents/<int:pk>/consent.pdf", consents.consent_download, name="consent-pdf"),
    path("staff/audit/patients/<int:pk>/fhir.json", consents.patient_fhir, name="patient-fhir"),
    path("staff/audit/access-log/", access_log.access_log, name="access-log"),
    path("staff/audit/integrity/", integrity.integrity_report, name="integrity"),
    path("staff/audit/erasure/", erasure.erasure_start, name="erasure"),
    path("staff/audit/erasure/<int:pk>/", erasure.erasure_done, name="erasure-done"),
]
