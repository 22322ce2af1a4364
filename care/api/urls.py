"""The clinical record's API under /api/v1/: the check-in (its path keeps the appointment's
prefix) and plans of care (the patient's, and the staff's under staff/)."""

from django.urls import path

from care.api import (
    course,
    discharge,
    exercise_patient,
    exercises,
    health,
    instruments,
    plans,
    scores,
    series,
    symptoms,
)

urlpatterns = [
    path("appointments/<int:pk>/symptoms", symptoms.SymptomReportApi.as_view(), name="api-appointment-symptoms"),
    path("appointments/<int:pk>/health-change", health.HealthChangeApi.as_view(), name="api-appointment-health-change"),
    path(
        "staff/appointments/<int:pk>/health-change",
        health.StaffHealthChangeApi.as_view(),
        name="staff-appointment-health-change",
    ),
    path("care-plans", plans.PatientPlanListApi.as_view(), name="api-care-plans"),
    path("care-plans/<int:pk>", plans.PatientPlanDetailApi.as_view(), name="api-care-plan"),
    path("care-plans/<int:pk>/course", course.PatientCourseApi.as_view(), name="api-care-plan-course"),
    path("care-plans/<int:pk>/measures", scores.PatientMeasuresApi.as_view(), name="api-care-plan-measures"),
    path("care-plans/<int:pk>/scores", scores.PatientScoresApi.as_view(), name="api-care-plan-scores"),
    path("staff/care-plans/<int:pk>/scores", scores.StaffScoresApi.as_view(), name="staff-care-plan-scores"),
    path("staff/instruments", instruments.StaffInstrumentsApi.as_view(), name="staff-instruments"),
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
    path("staff/care-plans/<int:pk>/course", course.StaffCourseApi.as_view(), name="staff-care-plan-course"),
    path("staff/care-plans/<int:pk>/status", plans.StaffPlanStatusApi.as_view(), name="staff-care-plan-status"),
    path(
        "staff/care-plans/<int:pk>/discharge", discharge.StaffDischargeApi.as_view(), name="staff-care-plan-discharge"
    ),
    path(
        "staff/care-plans/<int:pk>/discharge.pdf",
        discharge.StaffDischargePdfApi.as_view(),
        name="staff-care-plan-discharge-pdf",
    ),
    path("care-plans/<int:pk>/discharge", discharge.PatientDischargeApi.as_view(), name="api-care-plan-discharge"),
    path(
        "care-plans/<int:pk>/discharge.pdf",
        discharge.PatientDischargePdfApi.as_view(),
        name="api-care-plan-discharge-pdf",
    ),
    path(
        "care-plans/<int:pk>/series/proposal", series.PatientProposalApi.as_view(), name="api-care-plan-series-proposal"
    ),
    path("care-plans/<int:pk>/series", series.PatientBookApi.as_view(), name="api-care-plan-series"),
    path(
        "staff/care-plans/<int:pk>/series/proposal",
        series.StaffProposalApi.as_view(),
        name="staff-care-plan-series-proposal",
    ),
    path("staff/care-plans/<int:pk>/series", series.StaffBookApi.as_view(), name="staff-care-plan-series"),
]
