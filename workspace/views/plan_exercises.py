"""A plan's home exercise programme for practitioners (/staff/plans/<pk>/exercises/): what is
prescribed and since when, adherence per week, adding an exercise from the clinic's library,
changing a dose and stopping one. Thin: the rules are care.services.exercises'; a plan the
signed-in staff member may not see (care.selectors.plans) is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_verified_required
from booking.models.wording import in_language
from care.errors import InvalidInput
from care.models import CarePlan, Exercise, PlanExercise
from care.selectors import exercises as selectors
from care.selectors.plans import staff_plan
from care.services import exercises as services
from core.forms import AccessibleForm
from workspace.forms_exercises import DoseForm, PrescribeForm
from workspace.views.base import page, user_of


@dataclass(frozen=True)
class Row:
    prescription: PlanExercise
    name: str
    dose: str
    form: DoseForm | None  # None once stopped: a stopped exercise's dose no longer changes


@dataclass(frozen=True)
class WeekRow:
    starts_on: date
    done: int
    prescribed: int
    share: float | None


def _is_open(plan: CarePlan) -> bool:
    return plan.status in services.OPEN_PLAN


def _render(
    request: HttpRequest,
    plan: CarePlan,
    *,
    add: PrescribeForm | None = None,
    failed: DoseForm | None = None,
    failed_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    today = selectors.clinic_today(plan.clinic)
    open_plan = _is_open(plan)
    rows = []
    for row in selectors.prescriptions(plan).defer("exercise__picture"):
        form = None
        if open_plan and row.stopped_on is None:
            form = failed if row.pk == failed_pk and failed is not None else DoseForm(prescription=row)
        name = in_language(row.exercise.translations, "name", row.exercise.name, get_language())
        rows.append(Row(prescription=row, name=name, dose=selectors.dose_words(row), form=form))
    if add is None and open_plan:
        add = PrescribeForm(library=_library(plan))
    weeks = [
        WeekRow(week.starts_on, week.done, week.prescribed, None if week.share is None else round(week.share, 2))
        for week in selectors.plan_adherence(plan, today)
    ]
    shown: AccessibleForm | None = failed if failed is not None else (add if add is not None and add.errors else None)
    context = {
        "plan": plan,
        "open": open_plan,
        "today": today,
        "rows": rows,
        "weeks": weeks,
        "add": add,
        "form": shown,  # the error summary's
    }
    return page(request, "workspace/plans/exercises.html", "plans", context, status=status)


def _library(plan: CarePlan) -> list[Exercise]:
    return list(plan.clinic.exercises.filter(active=True).defer("picture").order_by("name", "pk"))


def _closed(request: HttpRequest, pk: int) -> HttpResponse:
    # Same words as the service's PlanClosed, for the dose and stop forms it does not guard.
    messages.error(request, _("This plan of care is closed."))
    return redirect("staff:plan-exercises", pk)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def exercises(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = staff_plan(user, pk)
    if request.method == "GET":
        return _render(request, plan)
    if not _is_open(plan):
        return _closed(request, pk)
    form = PrescribeForm(request.POST, library=_library(plan))
    if form.is_valid():
        try:
            services.prescribe(
                plan,
                exercise=form.chosen(),
                actor=user,
                dose=form.dose(),
                note=form.cleaned_data["note"],
                start_on=form.cleaned_data["start_on"],
            )
        except InvalidInput as exc:
            form.add_service_errors(exc.fields)
        except services.ExerciseRefused as exc:
            messages.error(request, exc.message)
            return redirect("staff:plan-exercises", pk)
        else:
            messages.success(request, _("Exercise added to the programme."))
            return redirect("staff:plan-exercises", pk)
    return _render(request, plan, add=form, status=400)


@staff_verified_required
@require_POST
def change_dose(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    user = user_of(request)
    plan = staff_plan(user, pk)
    prescription = selectors.prescription_of(plan, pid)
    if not _is_open(plan):
        return _closed(request, pk)
    form = DoseForm(request.POST, prescription=prescription)
    if form.is_valid():
        try:
            services.change_dose(prescription, dose=form.dose(), actor=user)
        except InvalidInput as exc:
            form.add_service_errors(exc.fields)
        except services.ExerciseRefused as exc:
            messages.error(request, exc.message)
            return redirect("staff:plan-exercises", pk)
        else:
            messages.success(request, _("Dose changed."))
            return redirect("staff:plan-exercises", pk)
    return _render(request, plan, failed=form, failed_pk=prescription.pk, status=400)


@staff_verified_required
@require_POST
def stop(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    user = user_of(request)
    plan = staff_plan(user, pk)
    prescription = selectors.prescription_of(plan, pid)
    if not _is_open(plan):
        return _closed(request, pk)
    if services.stop_prescription(prescription, actor=user) is None:
        messages.success(request, _("The exercise had not started yet: it is off the programme."))
    else:
        messages.success(request, _("Exercise stopped: today is its last day."))
    return redirect("staff:plan-exercises", pk)
