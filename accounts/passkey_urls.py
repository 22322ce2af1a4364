"""The passkey ceremony endpoints under the namespace django-otp-webauthn's template tags
reverse (`otp_webauthn:`), with Acus's staff-only views in place of the library's."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from accounts.views import passkeys

app_name = "otp_webauthn"

urlpatterns = [
    path("registration/begin/", passkeys.BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", passkeys.CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", passkeys.BeginAuthentication.as_view(), name="credential-authentication-begin"),
    path(
        "authentication/complete/",
        passkeys.CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    # The library's scripts call gettext(); this serves its catalogue as a script file.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
