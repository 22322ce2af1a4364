"""The practitioner's course page (/staff/plans/<pk>/): the patient's course as the patient sees
it, plus the links a practitioner needs (each visit's appointment). A plan the user may not see
(another clinic's, a colleague's when not the clinic's admin) is a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.decorators import staff_verified_required
from care.selectors import plans as plan_selectors
from care.views.course import course_context, optional_url
from workspace.views.base import page, user_of


@staff_verified_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = plan_selectors.staff_plan(user_of(request), pk)
    context = course_context(found)
    context["links"] = {
        # The measures are the patient's own page; booking the series and the exercises have
        # the practitioner's own pages (booking for the patient; prescribing, doses, adherence).
        "book": optional_url("staff:plan-book", found.pk),
        "measures": None,
        "exercises": optional_url("staff:plan-exercises", found.pk),
        "plans": optional_url("staff:plans"),
        "status": optional_url("staff:plan-status", found.pk),
        "discharge": optional_url("staff:plan-discharge", found.pk),
    }
    return page(request, "workspace/plan_course.html", "plans", context)
