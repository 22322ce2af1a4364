"""Sign-in pages for patients (emailed code) and staff (password, then TOTP)."""

from django.urls import path

from accounts.views import language, patient, security, staff

app_name = "accounts"

urlpatterns = [
    path("language/", language.set_language, name="set-language"),
    path("signin/", patient.patient_sign_in, name="patient-sign-in"),
    path("signin/code/", patient.patient_code, name="patient-code"),
    path("signout/", patient.sign_out, name="sign-out"),
    path("account/", patient.account, name="account"),
    path("staff/signin/", staff.staff_sign_in, name="staff-sign-in"),
    path("staff/signin/verify/", staff.staff_verify, name="staff-verify"),
    path("staff/signin/enrol/", staff.staff_enrol, name="staff-enrol"),
    path("staff/backup-codes/", staff.staff_backup_codes, name="staff-backup-codes"),
    path("staff/", staff.staff_home, name="staff-home"),
    path("staff/security/", security.staff_security, name="staff-security"),
    path("staff/security/passkeys/<int:passkey_id>/remove/", security.remove_passkey, name="staff-remove-passkey"),
    path("staff/security/authenticator/remove/", security.remove_totp, name="staff-remove-totp"),
]
