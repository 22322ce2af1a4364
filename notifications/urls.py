from django.urls import path

from notifications.views import checkin as views

app_name = "notifications"

urlpatterns = [
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("checkin/<str:token>/done/", views.checkin_done, name="checkin-done"),
    path("appointments/<int:pk>/checkin/", views.appointment_checkin, name="appointment-checkin"),
]
