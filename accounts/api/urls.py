"""The accounts API under /api/v1/: patient sign-in and who is signed in."""

from django.urls import path

from accounts.api import me, sign_in

urlpatterns = [
    path("auth/patient/start", sign_in.PatientSignInStartApi.as_view(), name="auth-patient-start"),
    path("auth/patient/verify", sign_in.PatientSignInVerifyApi.as_view(), name="auth-patient-verify"),
    path("me", me.MeApi.as_view(), name="me"),
    path("staff/me", me.StaffMeApi.as_view(), name="staff-me"),
]
