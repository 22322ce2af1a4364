"""Discharging a plan of care: the form (a reason and a note for the summary), then how the plan
closed with a link to the summary PDF, which staff download from here too. Plans the signed-in
staff member may not see (care.selectors.plans) are a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_verified_required
from care.errors import InvalidInput
from care.models import CarePlan, Discharge, DischargeReason
from care.selectors import plans as selectors
from care.services import discharge as services
from core.forms import AccessibleForm
from workspace.views.base import page, user_of


class DischargeForm(AccessibleForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why does the course end?"),
        choices=DischargeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a reason.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the summary"),
        help_text=gettext_lazy("Optional. The patient reads it in their summary: use plain words."),
        required=False,
        max_length=services.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _render(request: HttpRequest, plan: CarePlan, form: DischargeForm, status: int = 200) -> HttpResponse:
    found = Discharge.objects.select_related("by").filter(plan=plan).first()
    context: dict[str, Any] = {
        "plan": plan,
        "form": form,
        "discharge": found,
        "discharged_at": found.at.astimezone(plan.clinic.zone) if found else None,
        "can_discharge": plan.status in services.OPEN,
    }
    return page(request, "workspace/plan_discharge.html", "plans", context, status=status)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = selectors.staff_plan(user, pk)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discharge_plan(plan, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], by=user)
        except InvalidInput as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except (services.AlreadyDischarged, services.NotOpen) as exc:
            messages.error(request, exc.message)
            return redirect(reverse("staff:plan-discharge", args=[pk]))
        else:
            messages.success(request, _("The plan is closed and its discharge summary is ready."))
            return redirect(reverse("staff:plan-discharge", args=[pk]))
    plan = selectors.staff_plan(user, pk)
    return _render(request, plan, form, status=400 if form.errors else 200)


@staff_verified_required
@require_GET
def discharge_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.staff_plan(user_of(request), pk)
    found = get_object_or_404(Discharge, plan=plan)
    response = HttpResponse(bytes(found.summary_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="discharge-{plan.pk}.pdf"'
    return response
