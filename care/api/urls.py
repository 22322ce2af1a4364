"""The clinical record's API under /api/v1/: the check-in (its path keeps the appointment's
prefix) and plans of care (the patient's, and the staff's under staff/)."""

from django.urls import path

from care.api import course, plans, symptoms

urlpatterns = [
    path("appointments/<int:pk>/symptoms", symptoms.SymptomReportApi.as_view(), name="api-appointment-symptoms"),
    path("care-plans", plans.PatientPlanListApi.as_view(), name="api-care-plans"),
    path("care-plans/<int:pk>", plans.PatientPlanDetailApi.as_view(), name="api-care-plan"),
    path("care-plans/<int:pk>/course", course.PatientCourseApi.as_view(), name="api-care-plan-course"),
    path("staff/care-plans", plans.StaffPlanListApi.as_view(), name="staff-care-plans"),
    path("staff/care-plans/<int:pk>", plans.StaffPlanDetailApi.as_view(), name="staff-care-plan"),
    path("staff/care-plans/<int:pk>/course", course.StaffCourseApi.as_view(), name="staff-care-plan-course"),
    path("staff/care-plans/<int:pk>/status", plans.StaffPlanStatusApi.as_view(), name="staff-care-plan-status"),
]
