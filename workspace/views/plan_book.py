"""The practitioner books a plan's remaining sessions for the patient (/staff/plans/<pk>/book/).

The patient's page (care.views.series) with the practitioner's words: choose a weekday and time
(a GET form that only shows a proposal), see where visits had to move and why, confirm (POST,
then a redirect to the course page). care.services.series decides everything: for needling
covered by the patient's consent the practitioner confirms the patient said nothing changed in
their health; with no covering consent it refuses (the patient answers and signs themselves), so
this page explains that and offers no booking. Plans the user may not see are a 404."""

from __future__ import annotations

from datetime import time
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from accounts.decorators import staff_verified_required
from booking import errors
from care.models import CarePlan
from care.selectors import plans as plan_selectors
from care.selectors import series as selectors
from care.services import series as services
from care.views.series import ChoiceForm, ConfirmForm
from workspace.views.base import page, user_of

# The confirmation repeats the weekday and time as hidden fields: its own ids keep them apart from
# the choice form's on the same page.
CONFIRM_IDS = "confirm_%s"


class StaffConfirmForm(ConfirmForm):
    # The practitioner answers on the patient's word, so the patient's "my health" label would
    # be wrong here. Required only for a covered needling course: the view sets it then, and the
    # service refuses without it anyway (HealthQuestion).
    health_unchanged = forms.BooleanField(
        label=gettext_lazy("The patient has told me that nothing has changed in their health since that consent"),
        required=False,
    )


def _here(plan: CarePlan, **query: Any) -> str:
    url = reverse("staff:plan-book", args=[plan.pk])
    return f"{url}?{urlencode(query)}" if query else url


def _shown(proposal: services.Proposal | None, zone: ZoneInfo) -> list[dict[str, Any]]:
    if proposal is None:
        return []
    return [{"visit": v, "start": v.start.astimezone(zone) if v.start else None} for v in proposal.visits]


def _confirm_form(proposal: services.Proposal | None) -> StaffConfirmForm | None:
    # No button when a session has no free time, nor when the service would refuse the
    # practitioner for want of the patient's own consent.
    if proposal is None or not proposal.complete or proposal.consent == "first_visit":
        return None
    starts = ",".join(v.start.isoformat() for v in proposal.visits if v.start)
    form = StaffConfirmForm(
        initial={"weekday": proposal.weekday, "time": proposal.time_of_day, "starts": starts}, auto_id=CONFIRM_IDS
    )
    form.fields["health_unchanged"].required = proposal.consent == "covered"
    return form


def _render(
    request: HttpRequest,
    plan: CarePlan,
    form: ChoiceForm,
    proposal: services.Proposal | None,
    confirm: StaffConfirmForm | None,
    status: int = 200,
) -> HttpResponse:
    zone = plan.clinic.zone
    context = {
        "plan": plan,
        "open": plan.status in services.OPEN,
        "booked": [{"visit": v, "start": v.appointment.start.astimezone(zone)} for v in selectors.booked_visits(plan)],
        "left": selectors.unbooked_after_last(plan),
        "form": form,
        "proposal": proposal,
        "proposed": _shown(proposal, zone),
        "confirm": confirm,
    }
    return page(request, "workspace/plan_book.html", "plans", context, status=status)


@staff_verified_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.staff_plan(user_of(request), pk)
    if request.method == "POST":
        return _book(request, plan)
    form = ChoiceForm(request.GET if "weekday" in request.GET else None)
    proposal = None
    wanted = form.is_bound and form.is_valid()
    if wanted and plan.status in services.OPEN and selectors.unbooked_after_last(plan):
        proposal = services.propose_series(
            plan, weekday=form.cleaned_data["weekday"], time_of_day=form.cleaned_data["time"]
        )
    return _render(request, plan, form, proposal, _confirm_form(proposal), status=400 if form.errors else 200)


def _book(request: HttpRequest, plan: CarePlan) -> HttpResponse:
    form = StaffConfirmForm(request.POST, auto_id=CONFIRM_IDS)
    if not form.is_valid():
        messages.error(request, _("Please choose a day of the week and a time again."))
        return redirect(_here(plan))
    weekday: int = form.cleaned_data["weekday"]
    at: time = form.cleaned_data["time"]
    try:
        booked = services.book_series(
            plan,
            actor=user_of(request),
            weekday=weekday,
            time_of_day=at,
            starts=form.start_list(),
            health_unchanged=form.cleaned_data["health_unchanged"],
        )
    except services.HealthQuestion as exc:
        # Shown again with the box marked, in the practitioner's words (the service speaks to
        # the patient); nothing was booked.
        form.fields["health_unchanged"].required = True
        form.add_error("health_unchanged", _("Tick this box only if the patient has told you so."))
        choice = ChoiceForm({"weekday": weekday, "time": at.strftime("%H:%M")})
        return _render(request, plan, choice, exc.proposal, form, status=400)
    except errors.BookingError as exc:
        messages.error(request, exc.message)
        return redirect(_here(plan, weekday=weekday, time=at.strftime("%H:%M")))
    count = len(booked.visits)
    messages.success(
        request,
        ngettext("%(count)d visit is booked for the patient.", "%(count)d visits are booked for the patient.", count)
        % {"count": count},
    )
    return redirect("staff:plan", plan.pk)
