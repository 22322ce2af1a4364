"""/staff/integrations/: clinic admins' client keys for the FHIR endpoint. Included from config/urls.py."""

from django.urls import path

from interop.views import integrations

app_name = "integrations"

urlpatterns = [
    path("staff/integrations/", integrations.key_list, name="keys"),
    path("staff/integrations/clinics/<int:clinic_id>/new/", integrations.key_new, name="key-new"),
    path("staff/integrations/keys/<int:pk>/revoke/", integrations.key_revoke, name="key-revoke"),
    path("staff/integrations/keys/<int:pk>/calls/", integrations.key_calls, name="key-calls"),
]
