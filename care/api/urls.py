"""The clinical record's API under /api/v1/: the check-in (its path keeps the appointment's
prefix) and plans of care (the patient's, and the staff's under staff/)."""

from django.urls import path

from care.api import exercise_patient, exercises, plans, symptoms

urlpatterns = [
    path("appointments/<int:pk>/symptoms", symptoms.SymptomReportApi.as_view(), name="api-appointment-symptoms"),
    path("care-plans", plans.PatientPlanListApi.as_view(), name="api-care-plans"),
    path("care-plans/<int:pk>", plans.PatientPlanDetailApi.as_view(), name="api-care-plan"),
    path("care-plans/<int:pk>/exercises/today", exercise_patient.TodayApi.as_view(), name="api-exercises-today"),
    path("care-plans/<int:pk>/exercises/<int:pid>/done", exercise_patient.DoneApi.as_view(), name="api-exercise-done"),
    path("care-plans/<int:pk>/exercise-reminder", exercise_patient.ReminderApi.as_view(), name="api-exercise-reminder"),
    path("staff/exercises", exercises.StaffLibraryApi.as_view(), name="staff-exercises"),
    path("staff/exercises/<int:pk>", exercises.StaffExerciseApi.as_view(), name="staff-exercise"),
    path(
        "staff/care-plans/<int:pk>/exercises", exercises.StaffPrescriptionListApi.as_view(), name="staff-plan-exercises"
    ),
    path(
        "staff/care-plans/<int:pk>/exercises/<int:pid>",
        exercises.StaffPrescriptionApi.as_view(),
        name="staff-plan-exercise",
    ),
    path("staff/care-plans/<int:pk>/adherence", exercises.StaffAdherenceApi.as_view(), name="staff-plan-adherence"),
    path("staff/care-plans", plans.StaffPlanListApi.as_view(), name="staff-care-plans"),
    path("staff/care-plans/<int:pk>", plans.StaffPlanDetailApi.as_view(), name="staff-care-plan"),
    path("staff/care-plans/<int:pk>/status", plans.StaffPlanStatusApi.as_view(), name="staff-care-plan-status"),
]
