"""Forms of the plan-of-care pages: proposing a plan and moving its status. They only parse
and give the first, friendliest answer; care.services.plans checks everything again and its
refusals come back onto the fields (add_service_errors)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.models import AppointmentType
from care import plan_status
from care.builtin_instruments import BUILT_IN
from care.models import SESSIONS, SPACING_DAYS, BodyRegion, PlanStatus
from care.services.plans import MAX_GOAL_LENGTH, PlanInput
from core.forms import AccessibleForm

GOAL_FIELDS = tuple(f"goal_{n}" for n in range(1, 6))


def _whole_number(label: Any, bounds: tuple[int, int], hint: Any) -> forms.IntegerField:
    low, high = bounds
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=hint,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high, "step": 1}),
        error_messages={"invalid": _("Give a whole number.")},
    )


def _add(form: AccessibleForm, fields: dict[str, list[str]]) -> None:
    """A service's refusals on the fields they name (others above the form), each linked to
    its input as AccessibleMixin links the form's own errors (it ran before these existed)."""
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
        if target is not None:
            widget = form.fields[target].widget
            error_id = f"{form[target].auto_id}-error"
            described = widget.attrs.get("aria-describedby", "")
            if error_id not in described:
                widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()


class PlanForm(AccessibleForm):
    problem = forms.CharField(
        label=_("Problem"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the problem.")},
    )
    body_region = forms.ChoiceField(
        label=_("Body region"),
        choices=[("", _("Choose a body region")), *BodyRegion.choices],
        error_messages={"required": _("Choose a body region from the list.")},
    )
    goal_1 = forms.CharField(label=_("Goal 1"), required=False, max_length=MAX_GOAL_LENGTH)
    goal_2 = forms.CharField(label=_("Goal 2"), required=False, max_length=MAX_GOAL_LENGTH)
    goal_3 = forms.CharField(label=_("Goal 3"), required=False, max_length=MAX_GOAL_LENGTH)
    goal_4 = forms.CharField(label=_("Goal 4"), required=False, max_length=MAX_GOAL_LENGTH)
    goal_5 = forms.CharField(label=_("Goal 5"), required=False, max_length=MAX_GOAL_LENGTH)
    # No initial value: FACTS.md section 6 gives no typical number or spacing of sessions, so
    # the form must not suggest one as if it were evidence.
    sessions_planned = _whole_number(
        _("Sessions planned"),
        SESSIONS,
        _("Your choice for this patient, from 1 to 20: no source gives a typical number of dry needling sessions."),
    )
    spacing_days = _whole_number(_("Days between sessions"), SPACING_DAYS, _("From 1 to 60."))
    measures = forms.MultipleChoiceField(
        label=_("Outcome measures to track"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The patient answers them at the start, during the course and at discharge."),
    )
    review_on = forms.DateField(
        label=_("Review date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give a review date."), "invalid": _("Give a date such as 2026-07-01.")},
    )
    appointment_type = forms.TypedChoiceField(
        label=_("Treatment"),
        coerce=int,
        help_text=_("The treatment booked for the course's visits."),
        error_messages={"required": _("Choose a treatment."), "invalid_choice": _("Choose a treatment.")},
    )

    def __init__(self, *args: Any, treatments: Iterable[AppointmentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in (("sessions_planned", SESSIONS), ("spacing_days", SPACING_DAYS)):
            # Formatted here, in the request's language (a lazy string would be formatted at import).
            out_of_range = gettext("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            for code in ("required", "min_value", "max_value"):
                self.fields[name].error_messages[code] = out_of_range
        self.treatments = {kind.pk: kind for kind in treatments}
        self.fields["measures"].choices = [(code, instrument.name) for code, instrument in BUILT_IN.items()]
        kind_field = self.fields["appointment_type"]
        assert isinstance(kind_field, forms.TypedChoiceField)
        kind_field.choices = [("", _("Choose a treatment"))] + [
            (kind.pk, kind.shown_name) for kind in self.treatments.values()
        ]

    def goals(self) -> list[str]:
        """The goals typed in, in order; empty boxes are left out."""
        typed = (self.cleaned_data.get(name, "").strip() for name in GOAL_FIELDS)
        return [goal for goal in typed if goal]

    def treatment(self) -> AppointmentType:
        return self.treatments[self.cleaned_data["appointment_type"]]

    def plan_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            problem=data["problem"],
            body_region=data["body_region"],
            goals=self.goals(),
            sessions_planned=data["sessions_planned"],
            spacing_days=data["spacing_days"],
            measures=data["measures"],
            review_on=data["review_on"],
        )

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        """The service's refusals on the fields they name; the goals' on the first goal box
        (the fieldset shows them), the clinic's and patient's above the form."""
        _add(self, {("goal_1" if name == "goals" else name): messages for name, messages in fields.items()})


class StatusForm(AccessibleForm):
    to = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new status."), "invalid_choice": _("Choose the new status.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why, in a few words. It is kept with the change."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = plan_status.ALLOWED.get(current, frozenset())
        # Only the moves the plan's status allows, in the statuses' own order.
        self.fields["to"].choices = [(value, label) for value, label in PlanStatus.choices if value in allowed]

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        _add(self, fields)
