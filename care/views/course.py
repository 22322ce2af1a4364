"""Patient pages: the patient's courses of care (/care/plans/) and one course on one page
(/care/plans/<pk>/). Another patient's plan is a 404 (care.selectors.plans)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import patient_required
from accounts.models import Patient
from booking.models import Appointment
from care.models import CarePlan, Discharge, PlanStatus
from care.selectors import health
from care.selectors import plans as plan_selectors
from care.selectors.course import Visit, course_for


def optional_url(name: str, *args: Any) -> str | None:
    """The page's address, or None while the part of the course that serves it is not installed:
    the course page links to booking, measures and exercises, each built separately."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def course_context(plan: CarePlan) -> dict[str, Any]:
    """What the patient's and the practitioner's course pages share."""
    today = timezone.localdate(timezone=plan.clinic.zone)
    return {"plan": plan, "course": course_for(plan, today=today), "today": today}


def _patient(request: HttpRequest) -> Patient:
    patient = getattr(request.user, "patient", None)
    assert isinstance(patient, Patient)  # patient_required let only patients in
    return patient


@patient_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    rows = list(plan_selectors.patient_plans(_patient(request)))
    return render(request, "care/course/plans.html", {"plans": rows})


@patient_required
@require_GET
def course(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.patient_plan(_patient(request), pk)
    context = course_context(plan)
    context["links"] = {
        "book": optional_url("care:book-series", plan.pk),
        "measures": optional_url("care:measures", plan.pk),
        "exercises": optional_url("care:exercises", plan.pk),
        "discharge": optional_url("care:discharge-pdf", plan.pk) if _discharged(plan) else None,
    }
    context["health_due"] = _health_questions_due(context["course"].to_come)
    return render(request, "care/course/course.html", context)


def _discharged(plan: CarePlan) -> bool:
    """Only a closed plan has a discharge: an open one costs no query."""
    closed = plan.status in (PlanStatus.COMPLETED, PlanStatus.STOPPED)
    return closed and Discharge.objects.filter(plan=plan).exists()


def _health_questions_due(to_come: list[Visit]) -> set[int]:
    """The visits whose "has anything changed in your health?" is open now. Only visits inside
    the question's window are asked about (a few queries each), so a long course costs no more."""
    now = timezone.now()
    soon = [visit.appointment_id for visit in to_come if now < visit.start <= now + health.ANSWER_OPENS]
    return {
        appointment.pk
        for appointment in Appointment.objects.filter(pk__in=soon).select_related("appointment_type", "clinic")
        if health.needs_health_check(appointment, now)
    }


urlpatterns: list[URLPattern] = [
    path("care/plans/", plans, name="plans"),
    path("care/plans/<int:pk>/", course, name="course"),
]
