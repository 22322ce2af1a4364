"""Patient pages: the outcome measures due on a plan, answering one, and the result.

Thin: the plan through care.selectors.plans (another patient's plan is a 404), what is due
through care.selectors.scores, the score through care.services.scores. Plain forms, one radio
group per item (a fieldset with its legend), POST-redirect-GET, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.decorators import patient_required
from booking.models import Appointment
from care.errors import InvalidInput
from care.instruments import Instrument
from care.models import CarePlan, CourseVisit, OutcomeScore, Timepoint
from care.selectors.plans import patient_plan
from care.selectors.scores import due_measures, plan_instruments
from care.services.scores import ScoreConflict, item_keys, record_score
from core.forms import AccessibleForm


def _scale_choices(instrument: Instrument, index: int) -> list[tuple[int, str]]:
    item = instrument.items[0 if instrument.patient_named else index]
    words = {anchor.value: str(anchor.words) for anchor in item.anchors}
    return [
        (value, f"{value}: {words[value]}" if value in words else str(value))
        for value in range(item.low, item.high + 1)
    ]


def _hint(instrument: Instrument, index: int) -> str:
    """The scale's ends in the instrument's own words: "0: No pain. 10: Worst pain imaginable."."""
    item = instrument.items[0 if instrument.patient_named else index]
    if not item.anchors:
        return _("Choose a number from %(low)s to %(high)s.") % {"low": item.low, "high": item.high}
    return " ".join(f"{anchor.value}: {anchor.words}." for anchor in item.anchors)


class MeasureForm(AccessibleForm):
    """One radio group per item; field `a<n>` answers item n (PSFS: the plan's nth goal)."""

    def __init__(self, plan: CarePlan, instrument: Instrument, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = item_keys(plan, instrument)
        for n, key in enumerate(self.keys):
            item = instrument.items[0 if instrument.patient_named else n]
            legend = key if instrument.patient_named else (str(item.text) or str(instrument.name))
            self.fields[f"a{n}"] = forms.TypedChoiceField(
                label=legend,
                help_text=_hint(instrument, n),
                choices=_scale_choices(instrument, n),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext_lazy("Choose a number for this question."),
                    "invalid_choice": gettext_lazy("Choose one of the numbers shown."),
                },
            )

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"a{n}"] for n, key in enumerate(self.keys)}

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        by_key = {f"answers.{key}": f"a{n}" for n, key in enumerate(self.keys)}
        for name, messages in fields.items():
            for message in messages:
                self.add_error(by_key.get(name), message)


def _plan(request: HttpRequest, pk: int) -> CarePlan:
    return patient_plan(request.user.patient, pk)  # type: ignore[union-attr]


def _instrument(plan: CarePlan, code: str) -> Instrument:
    for instrument in plan_instruments(plan):
        if instrument.code == code:
            return instrument
    raise Http404("not a measure of this plan")


def _appointment(plan: CarePlan, value: str | None) -> Appointment | None:
    if not value or not value.isdigit():
        return None
    visit = CourseVisit.objects.filter(plan=plan, appointment_id=int(value)).select_related("appointment").first()
    return visit.appointment if visit else None


def _timepoint(plan: CarePlan, instrument: Instrument, asked: str | None) -> Timepoint:
    """The timepoint in the link; without a valid one, what is due for this measure, else a check-in."""
    if asked in Timepoint.values:
        return Timepoint(asked)
    for due in due_measures(plan, timezone.now()):
        if due.instrument.code == instrument.code:
            return due.timepoint
    return Timepoint.CHECKIN


@never_cache
@patient_required
@require_http_methods(["GET"])
def measures(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    due = due_measures(plan, timezone.now())
    zone = plan.clinic.zone
    rows = [
        {
            "due": item,
            "name": str(item.instrument.name),
            "when": str(item.timepoint.label),
            "visit_start": item.appointment.start.astimezone(zone) if item.appointment else None,
            "query": f"timepoint={item.timepoint.value}"
            + (f"&appointment={item.appointment.pk}" if item.appointment else ""),
        }
        for item in due
    ]
    return render(request, "care/measures/due.html", {"plan": plan, "rows": rows})


@never_cache
@patient_required
@require_http_methods(["GET", "POST"])
def answer_measure(request: HttpRequest, pk: int, instrument: str) -> HttpResponse:
    plan = _plan(request, pk)
    rules = _instrument(plan, instrument)
    source = request.POST if request.method == "POST" else request.GET
    timepoint = _timepoint(plan, rules, source.get("timepoint"))
    appointment = _appointment(plan, source.get("appointment"))
    form = MeasureForm(plan, rules, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                row = record_score(
                    plan,
                    instrument=rules.code,
                    timepoint=timepoint,
                    answers=form.answers(),
                    actor=request.user,  # type: ignore[arg-type]
                    appointment=appointment,
                )
            except InvalidInput as exc:
                form.add_service_errors(exc.fields)
            except ScoreConflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                return redirect("care:measure-result", pk=plan.pk, instrument=rules.code, score=row.pk)
    context = {
        "plan": plan,
        "instrument": rules,
        "name": str(rules.name),
        "form": form,
        "timepoint": timepoint,
        "appointment": appointment,
        "visit_start": appointment.start.astimezone(plan.clinic.zone) if appointment else None,
        "patient_named": rules.patient_named is not None,
    }
    return render(request, "care/measures/answer.html", context, status=status)


@never_cache
@patient_required
@require_http_methods(["GET"])
def measure_result(request: HttpRequest, pk: int, instrument: str, score: int) -> HttpResponse:
    plan = _plan(request, pk)
    rules = _instrument(plan, instrument)
    row = get_object_or_404(OutcomeScore, plan=plan, instrument=rules.code, pk=score)
    threshold = next((t for t in rules.meaningful_change if t.code == row.threshold), rules.threshold())
    context = {
        "plan": plan,
        "name": str(rules.name),
        "row": row,
        "is_baseline": row.timepoint == Timepoint.BASELINE,
        "change": abs(row.change),
        "better": row.change > 0,
        "worse": row.change < 0,
        "change_share": None if row.change_percent is None else abs(row.change_percent) / 100,
        "threshold": threshold,
        "threshold_share": None if threshold.percent is None else threshold.percent / 100,
    }
    return render(request, "care/measures/result.html", context)


urlpatterns: list[URLPattern] = [
    path("care/plans/<int:pk>/measures/", measures, name="measures"),
    path("care/plans/<int:pk>/measures/<slug:instrument>/", answer_measure, name="answer-measure"),
    path(
        "care/plans/<int:pk>/measures/<slug:instrument>/scores/<int:score>/",
        measure_result,
        name="measure-result",
    ),
]
