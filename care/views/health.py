"""Patient page: "has anything changed in your health since <date>?" before a later course visit.

One page, three states: the yes/no question; on yes, the clinic's health questions (the booking
flow's ScreeningForm and question templates); once answered, the outcome in plain words. Plain
forms, POST-redirect-GET; care.services.health decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import patient_required
from booking import consent_documents, consent_flow, errors
from booking.forms import ScreeningForm
from booking.models import Appointment
from booking.views import common
from care.errors import InvalidInput
from care.models import HealthChangeAnswer
from care.selectors import health as selectors
from care.services import health as services
from consent.models import Outcome
from core.forms import AccessibleForm


class ChangedForm(AccessibleForm):
    changed = forms.ChoiceField(
        label=_("Has anything changed in your health?"),
        choices=[("no", _("No, nothing has changed")), ("yes", _("Yes, something has changed"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose an answer.")},
    )


def _page(request: HttpRequest, appointment: Appointment, **extra: Any) -> HttpResponse:
    question = selectors.health_question(common.patient_of(request), appointment)
    if question.visit is None and question.answer is None:
        raise Http404("Not a later visit of a course")
    context = {"appointment": appointment, "clinic": appointment.clinic, "question": question, **extra}
    if question.answer is not None:
        context.update(_outcome(appointment, question.answer))
    return render(request, "care/health/health_change.html", context)


def _outcome(appointment: Appointment, answer: HealthChangeAnswer) -> dict[str, Any]:
    if answer.screening is None:
        return {}
    if answer.outcome == HealthChangeAnswer.Outcome.BLOCKED:
        kinds = consent_flow.non_needling_alternatives(appointment.clinic)
        return {
            "reasons": consent_documents.shown_reasons(answer.screening, Outcome.BLOCK),
            "alternatives": [(kind, common.times_url(kind, "any", common.local_day(appointment))) for kind in kinds],
        }
    if answer.outcome == HealthChangeAnswer.Outcome.REVIEW:
        # Until the patient has signed again for this visit (then the link would only lead back).
        sign = reverse("booking:consent", args=[appointment.pk]) + f"?screening={answer.screening_id}"
        return {
            "reasons": consent_documents.shown_reasons(answer.screening, Outcome.REVIEW),
            "sign_url": sign if common.may_sign(appointment) else "",
        }
    return {}


def _screening_form(request: HttpRequest, appointment: Appointment) -> ScreeningForm | None:
    offered = consent_documents.offered_questionnaire(common.patient_of(request), appointment.clinic)
    if offered is None:
        return None
    data = request.POST if request.method == "POST" else None
    return ScreeningForm(offered.shown, data)  # type: ignore[arg-type]  # a translation has the same ids


@patient_required
@require_http_methods(["GET", "POST"])
def health_change(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = common.own_appointment(request, appointment_id)
    here = reverse("care:health-change", args=[appointment.pk])
    if request.method == "GET":
        if request.GET.get("changed") == "yes":
            return _page(request, appointment, screening_form=_screening_form(request, appointment))
        return _page(request, appointment, form=ChangedForm())
    if request.POST.get("step") == "screening":
        form = _screening_form(request, appointment)
        if form is None or not form.is_valid():
            return _page(request, appointment, screening_form=form)
        return _answer(request, appointment, here, changed=True, answers=form.answers(), form=form)
    changed = ChangedForm(request.POST)
    if not changed.is_valid():
        return _page(request, appointment, form=changed)
    if changed.cleaned_data["changed"] == "yes":
        return redirect(here + "?changed=yes")
    return _answer(request, appointment, here, changed=False, answers=None, form=changed)


def _answer(
    request: HttpRequest,
    appointment: Appointment,
    here: str,
    *,
    changed: bool,
    answers: dict[str, Any] | None,
    form: forms.Form,
) -> HttpResponse:
    try:
        services.answer_health_change(
            common.patient_of(request), appointment_id=appointment.pk, changed=changed, answers=answers
        )
    except InvalidInput as exc:
        for key, problems in exc.fields.items():
            name = key.removeprefix("answers.")
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        extra = {"screening_form": form} if changed else {"form": form}
        return _page(request, appointment, **extra)
    except errors.BookingError:
        pass  # answered already, or no longer open: the page says which
    return redirect(here)


urlpatterns: list[URLPattern] = [
    path("care/visits/<int:appointment_id>/health/", health_change, name="health-change"),
]
