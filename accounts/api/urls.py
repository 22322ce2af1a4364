from django.urls import path

from accounts.api import auth as api

urlpatterns = [
    path("auth/patient/start", api.PatientSignInStartApi.as_view(), name="auth-patient-start"),
    path("auth/patient/verify", api.PatientSignInVerifyApi.as_view(), name="auth-patient-verify"),
    path("me", api.MeApi.as_view(), name="me"),
    path("staff/me", api.StaffMeApi.as_view(), name="staff-me"),
]
