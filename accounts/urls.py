from django.urls import path

from accounts.views import sign_in as views

app_name = "accounts"

urlpatterns = [
    path("signin/", views.patient_sign_in, name="patient-sign-in"),
    path("signin/code/", views.patient_code, name="patient-code"),
    path("signout/", views.sign_out, name="sign-out"),
    path("account/", views.account, name="account"),
    path("staff/signin/", views.staff_sign_in, name="staff-sign-in"),
    path("staff/signin/verify/", views.staff_verify, name="staff-verify"),
    path("staff/signin/enrol/", views.staff_enrol, name="staff-enrol"),
    path("staff/backup-codes/", views.staff_backup_codes, name="staff-backup-codes"),
    path("staff/", views.staff_home, name="staff-home"),
]
