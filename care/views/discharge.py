"""Patient pages: the discharge summary of one of their own plans, as stored when the plan was
closed (another patient's plan, or one not discharged yet, is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from accounts.decorators import patient_required
from booking.views import common
from care.models import Discharge
from care.selectors import plans as selectors


@patient_required
@require_GET
def discharge_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.patient_plan(common.patient_of(request), pk)
    discharge = get_object_or_404(Discharge, plan=plan)
    response = HttpResponse(bytes(discharge.summary_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="discharge-{plan.pk}.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("care/plans/<int:pk>/discharge.pdf", discharge_pdf, name="discharge-pdf"),
]
