"""Patient page: book the rest of a course (/care/plans/<pk>/book/).

Plain forms, no JavaScript needed. The weekday and time form is a GET (it only shows a
proposal); confirming is a POST of the starts the patient saw, then a redirect (POST-redirect-GET):
back here with the booked visits, or to booking's consent steps for a first needling visit.
A refusal (a time taken meanwhile, say) comes back here as a message with a fresh proposal."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import patient_required
from booking import errors
from care.models import CarePlan
from care.selectors import plans as plan_selectors
from care.selectors import series as selectors
from care.services import series as services
from core.forms import AccessibleForm


class ChoiceForm(AccessibleForm):
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day of the week"),
        choices=sorted(WEEKDAYS.items()),
        coerce=int,
        error_messages={"required": gettext_lazy("Choose a day of the week.")},
    )
    time = forms.TimeField(
        label=gettext_lazy("Time of day"),
        help_text=gettext_lazy("For example 14:00."),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter a time of day."),
            "invalid": gettext_lazy("Enter a time such as 14:00."),
        },
    )


# The confirmation repeats the choice as hidden fields on the same page as the choice form: ids
# of its own, so no id appears twice.
CONFIRM_IDS = "confirm_%s"


class ConfirmForm(ChoiceForm):
    starts = forms.CharField(widget=forms.HiddenInput, required=False)
    health_unchanged = forms.BooleanField(label=gettext_lazy("Nothing has changed in my health"), required=False)

    def start_list(self) -> list[datetime] | None:
        raw = self.cleaned_data.get("starts", "")
        try:
            return [datetime.fromisoformat(part) for part in raw.split(",") if part] or None
        except ValueError:
            return None


def _here(plan: CarePlan, **query: Any) -> str:
    url = reverse("care:book-series", args=[plan.pk])
    return f"{url}?{urlencode(query)}" if query else url


@patient_required
@require_http_methods(["GET", "POST"])
def book_series(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.patient_plan(request.user.patient, pk)  # type: ignore[union-attr]
    if request.method == "POST":
        return _confirm(request, plan)
    zone = plan.clinic.zone
    booked = [{"visit": v, "start": v.appointment.start.astimezone(zone)} for v in selectors.booked_visits(plan)]
    left = selectors.unbooked_after_last(plan)
    form = ChoiceForm(request.GET if "weekday" in request.GET else None)
    proposal = None
    if left and plan.status in services.OPEN and form.is_bound and form.is_valid():
        proposal = services.propose_series(
            plan, weekday=form.cleaned_data["weekday"], time_of_day=form.cleaned_data["time"]
        )
    context = {
        "plan": plan,
        "open": plan.status in services.OPEN,
        "booked": booked,
        "left": left,
        "form": form,
        "proposal": proposal,
        "proposed": _shown(proposal, zone),
        "confirm": _confirm_form(proposal),
    }
    return render(request, "care/series/book.html", context)


def _shown(proposal: services.Proposal | None, zone: Any) -> list[dict[str, Any]]:
    if proposal is None:
        return []
    return [
        {"visit": v, "start": v.start.astimezone(zone) if v.start else None, "wanted": v.wanted}
        for v in proposal.visits
    ]


def _confirm_form(proposal: services.Proposal | None) -> ConfirmForm | None:
    if proposal is None or not proposal.complete:
        return None
    starts = ",".join(v.start.isoformat() for v in proposal.visits if v.start)
    return ConfirmForm(
        initial={"weekday": proposal.weekday, "time": proposal.time_of_day, "starts": starts}, auto_id=CONFIRM_IDS
    )


def _confirm(request: HttpRequest, plan: CarePlan) -> HttpResponse:
    form = ConfirmForm(request.POST, auto_id=CONFIRM_IDS)
    if not form.is_valid():
        messages.error(request, _("Please choose a day of the week and a time again."))
        return redirect(_here(plan))
    weekday: int = form.cleaned_data["weekday"]
    at: time = form.cleaned_data["time"]
    again = _here(plan, weekday=weekday, time=at.strftime("%H:%M"))
    try:
        booked = services.book_series(
            plan,
            actor=request.user,  # type: ignore[arg-type]
            weekday=weekday,
            time_of_day=at,
            starts=form.start_list(),
            health_unchanged=form.cleaned_data["health_unchanged"],
        )
    except errors.BookingError as exc:
        messages.error(request, exc.message)
        return redirect(again)
    if booked.needs_consent is not None:
        messages.success(request, _("Your first visit is held. Answer the health questions and sign to confirm it."))
        return redirect("booking:appointment", booked.needs_consent.pk)
    messages.success(request, _("Your visits are booked."))
    return redirect(_here(plan))


urlpatterns = [path("care/plans/<int:pk>/book/", book_series, name="book-series")]
