"""The patient's booking pages. The home page and the web app manifest are in config/urls.py."""

from django.urls import path

from booking.views import choose, manage, steps

app_name = "booking"

urlpatterns = [
    path("book/", choose.treatments, name="treatments"),
    path("book/<int:type_id>/", choose.practitioners, name="practitioners"),
    path("book/<int:type_id>/times/", choose.times, name="times"),
    path("book/<int:type_id>/hold/", choose.hold, name="hold"),
    path("book/<int:type_id>/hold/<str:who>/<str:code>/", choose.hold_choice, name="hold-choice"),
    path("appointments/", manage.my_appointments, name="my-appointments"),
    path("appointments/<int:pk>/", steps.appointment, name="appointment"),
    path("appointments/<int:pk>/details/", steps.details, name="details"),
    path("appointments/<int:pk>/health/", steps.health, name="health"),
    path("appointments/<int:pk>/screening/", steps.screening, name="screening"),
    path("appointments/<int:pk>/not-suitable/", steps.not_suitable, name="not-suitable"),
    path("appointments/<int:pk>/consent/", steps.consent, name="consent"),
    path("appointments/<int:pk>/calendar.ics", manage.calendar, name="calendar"),
    path("appointments/<int:pk>/cancel/", manage.cancel, name="cancel"),
    path("appointments/<int:pk>/reschedule/", manage.reschedule, name="reschedule"),
    path("consents/<int:pk>/pdf/", manage.consent_download, name="consent-pdf"),
    path("consents/<int:pk>/withdraw/", manage.consent_withdraw, name="consent-withdraw"),
]
