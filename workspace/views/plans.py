"""Plans of care for practitioners: the list of the plans they may see (care.selectors.plans),
proposing one for a patient seen at their clinic, and moving a plan's status. Thin: the rules
are care.services.plans' and care/plan_status.py's; the course page itself is staff:plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_verified_required
from care import plan_status
from care.errors import InvalidInput
from care.models import PlanStatus
from care.selectors import plans as selectors
from care.services import plans as services
from workspace.forms_plans import GOAL_FIELDS, PlanForm, StatusForm
from workspace.selectors import visibility
from workspace.selectors.plan_form import plan_treatments, plannable_patient
from workspace.views.base import page, parse_id, user_of

SECTION = "plans"


@staff_verified_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", "")
    found = selectors.staff_plans(user)
    if status in PlanStatus.values:
        found = found.filter(status=status)
    else:
        status = ""
    context = {"plans": list(found), "statuses": PlanStatus.choices, "status": status}
    return page(request, "workspace/plans/list.html", SECTION, context)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    practitioner = visibility.practitioner_of(user)
    if practitioner is None:
        # The service would refuse it too: only a practitioner proposes a plan of care.
        return page(request, "workspace/plans/not_practitioner.html", SECTION, {}, status=403)
    source = request.POST if request.method == "POST" else request.GET
    patient = plannable_patient(practitioner, parse_id(source.get("patient")))
    form = PlanForm(request.POST or None, treatments=plan_treatments(practitioner, patient))
    if request.method == "POST" and form.is_valid():
        kind = form.treatment()
        try:
            services.create_plan(
                practitioner_user=user,
                patient=patient,
                clinic=kind.clinic,
                appointment_type=kind,
                data=form.plan_input(),
            )
        except InvalidInput as exc:
            form.add_service_errors(exc.fields)
        else:
            messages.success(request, _("Plan of care proposed. Make it active when the patient agrees."))
            return redirect("staff:plans")
    context = {
        "form": form,
        "patient": patient,
        "practitioner": practitioner,
        "goal_fields": [form[name] for name in GOAL_FIELDS],
    }
    status = 400 if request.method == "POST" else 200
    return page(request, "workspace/plans/new.html", SECTION, context, status=status)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def plan_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = selectors.staff_plan(user, pk)
    form = StatusForm(request.POST or None, current=plan.status)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(plan=plan, to=form.cleaned_data["to"], by=user, note=form.cleaned_data["note"])
        except InvalidInput as exc:
            form.add_service_errors(exc.fields)
        else:
            messages.success(request, _("Status changed."))
            return redirect("staff:plans")
    context = {
        "plan": plan,
        "form": form,
        "final": plan_status.is_final(plan.status),
        "history": list(plan.status_changes.all()),
    }
    status = 400 if request.method == "POST" else 200
    return page(request, "workspace/plans/status.html", SECTION, context, status=status)
