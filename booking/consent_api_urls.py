from django.urls import path

from booking import consent_api as api

urlpatterns = [
    path("consent/form", api.ConsentFormApi.as_view(), name="consent-form"),
    path("consent/questionnaire", api.QuestionnaireApi.as_view(), name="consent-questionnaire"),
    path("screenings", api.ScreeningCreateApi.as_view(), name="screenings"),
    path("consents", api.ConsentListApi.as_view(), name="consents"),
    path("consents/<int:pk>", api.ConsentDetailApi.as_view(), name="consent-detail"),
    path("consents/<int:pk>/pdf", api.ConsentPdfApi.as_view(), name="consent-pdf"),
    path("consents/<int:pk>/withdraw", api.ConsentWithdrawApi.as_view(), name="consent-withdraw"),
    path("staff/appointments/<int:pk>/review", api.StaffReviewApi.as_view(), name="staff-appointment-review"),
]
