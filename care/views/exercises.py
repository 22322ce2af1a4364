"""Patient pages: today's home exercises with a tick for each, the daily reminder's time, the
one-tap stop from a reminder, and an exercise's picture.

Plain forms, POST-redirect-GET, no JavaScript. The stop page needs no sign-in: the token in
the reminder's link is the proof."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import patient_required
from accounts.models import Patient
from accounts.permissions import is_verified_staff
from care.errors import InvalidInput
from care.models import CarePlan
from care.selectors import exercises as selectors
from care.selectors.plans import patient_plan
from care.services import exercises as services


def _patient(request: HttpRequest) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


def _plan(request: HttpRequest, pk: int) -> CarePlan:
    return patient_plan(_patient(request), pk)


def _course_url(plan: CarePlan) -> str | None:
    # The course page is another helper's; link to it once it exists.
    try:
        return reverse("care:course", args=[plan.pk])
    except Exception:  # NoReverseMatch until the course page is merged
        return None


@patient_required
@require_GET
def today(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    items = selectors.today_programme(plan)
    context = {
        "plan": plan,
        "day": selectors.clinic_today(plan.clinic),
        "items": items,
        "done_count": sum(item.done for item in items),
        "reminder": selectors.reminder_of(plan),
        "course_url": _course_url(plan),
    }
    return render(request, "care/exercises/today.html", context)


@patient_required
@require_POST
def tick(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    row = selectors.prescription_of(_plan(request, pk), pid)
    try:
        if request.POST.get("done") == "no":
            services.untick(row, actor=request.user)  # type: ignore[arg-type]
        else:
            services.tick(row, actor=request.user)  # type: ignore[arg-type]
    except services.ExerciseRefused as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('care:exercises', args=[pk])}#exercise-{row.pk}")


class ReminderForm(forms.Form):
    at = forms.TimeField(
        label=gettext_lazy("Time of day"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("In the clinic's time zone."),
    )
    active = forms.TypedChoiceField(
        label=gettext_lazy("Daily reminder"),
        choices=[("on", pgettext_lazy("reminder", "On")), ("off", pgettext_lazy("reminder", "Off"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "on",
    )


@patient_required
@require_http_methods(["GET", "POST"])
def reminder(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    current = selectors.reminder_of(plan)
    initial = {"at": current.at if current else "18:00", "active": "on" if current and current.active else "off"}
    form = ReminderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.set_reminder(
                plan,
                at=form.cleaned_data["at"],
                active=form.cleaned_data["active"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except InvalidInput as exc:
            for field, errors in exc.fields.items():
                form.add_error(field if field in form.fields else None, errors)
        except services.ExerciseRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Your daily reminder is on.") if saved.active else _("Your daily reminder is off.")
            )
            return redirect("care:exercises", pk=plan.pk)
    context = {"plan": plan, "form": form, "reminder": current, "zone": plan.clinic.time_zone}
    return render(request, "care/exercises/reminder.html", context, status=400 if form.is_bound else 200)


# A GET only shows the button: mail scanners and link previews open links, and must not stop
# anyone's reminders. The POST needs no CSRF token: the unguessable token is the proof, the
# worst a forged POST could do is stop a reminder whose link it already holds, and mail
# clients' one-click unsubscribe (RFC 8058, List-Unsubscribe-Post) posts without one.
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def stop_reminder(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        if services.stop_reminder_by_token(token) is None:
            raise Http404
        return redirect("care:stop-reminder", token=token)
    found = selectors.reminder_by_token(token)
    if found is None:
        return render(request, "care/exercises/stop_unknown.html", status=404)
    return render(request, "care/exercises/stop.html", {"reminder": found, "clinic": found.plan.clinic})


@require_GET
def picture(request: HttpRequest, pk: int) -> HttpResponse:
    """An exercise's picture, for its clinic's verified staff and patients whose plan uses it."""
    user = request.user
    exercise = None
    if is_verified_staff(user):
        exercise = selectors.picture_for_staff(user, pk)  # type: ignore[arg-type]
    elif user.is_authenticated and hasattr(user, "patient"):
        exercise = selectors.picture_for_patient(user.patient, pk)
    if exercise is None:
        raise Http404
    response = HttpResponse(bytes(exercise.picture or b""), content_type=exercise.picture_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


urlpatterns: list[URLPattern] = [
    path("care/plans/<int:pk>/exercises/", today, name="exercises"),
    path("care/plans/<int:pk>/exercises/<int:pid>/tick/", tick, name="exercise-tick"),
    path("care/plans/<int:pk>/exercises/reminder/", reminder, name="exercise-reminder"),
    path("care/reminders/stop/<str:token>/", stop_reminder, name="stop-reminder"),
    path("care/exercises/<int:pk>/picture/", picture, name="exercise-picture"),
]
