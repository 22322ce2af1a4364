"""Forms of a plan's home exercise page: adding an exercise from the clinic's library and
changing a prescribed dose. They parse and give the first, friendliest answer;
care.services.exercises checks everything again and its refusals come back onto the fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from booking.models.wording import in_language
from care.models import Exercise, PlanExercise
from care.models.exercises import HOLD_SECONDS, REPETITIONS, SETS, TIMES_A_DAY
from care.selectors.exercises import dose_words
from care.services.exercises import DoseInput
from core.forms import AccessibleForm
from workspace.forms_plans import _add

DOSE_FIELDS = {
    "sets": (_("Sets"), SETS),
    "repetitions": (_("Repetitions"), REPETITIONS),
    "hold_seconds": (_("Hold (seconds)"), HOLD_SECONDS),
    "times_a_day": (_("Times a day"), TIMES_A_DAY),
}


def _dose_field(label: Any, bounds: tuple[int, int], *, required: bool, hint: Any = None) -> forms.IntegerField:
    low, high = bounds
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=hint,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high, "step": 1}),
    )


def _range_messages(form: forms.Form) -> None:
    """ "Choose a number from 1 to 10." for any number out of range, in the request's language
    (a lazy string would be formatted once, at import)."""
    for name, (_label, (low, high)) in DOSE_FIELDS.items():
        out_of_range = gettext("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        messages = form.fields[name].error_messages
        for code in ("required", "min_value", "max_value", "invalid"):
            messages[code] = out_of_range


def exercise_label(exercise: Exercise) -> str:
    """The exercise's name in the staff member's language where the clinic gave one, with the
    library's dose: what an empty dose box gives."""
    name = in_language(exercise.translations, "name", exercise.name, get_language())
    return gettext("%(name)s (library dose: %(dose)s)") % {"name": name, "dose": dose_words(exercise)}


class PrescribeForm(AccessibleForm):
    exercise = forms.TypedChoiceField(
        label=_("Exercise"),
        coerce=int,
        help_text=_("From the clinic's library, with its usual dose."),
        error_messages={
            "required": _("Choose an exercise from the clinic's library."),
            "invalid_choice": _("Choose an exercise from the clinic's library."),
        },
    )
    sets = _dose_field(DOSE_FIELDS["sets"][0], SETS, required=False, hint=_("Empty: the library's dose."))
    repetitions = _dose_field(
        DOSE_FIELDS["repetitions"][0], REPETITIONS, required=False, hint=_("Empty: the library's dose.")
    )
    hold_seconds = _dose_field(
        DOSE_FIELDS["hold_seconds"][0], HOLD_SECONDS, required=False, hint=_("Empty: the library's dose.")
    )
    times_a_day = _dose_field(
        DOSE_FIELDS["times_a_day"][0], TIMES_A_DAY, required=False, hint=_("Empty: the library's dose.")
    )
    note = forms.CharField(
        label=_("Note for the patient (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    start_on = forms.DateField(
        label=_("Start date (optional)"),
        required=False,
        help_text=_("Empty: today."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give a date such as 2026-07-01.")},
    )

    def __init__(self, *args: Any, library: Iterable[Exercise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _range_messages(self)
        self.library = {exercise.pk: exercise for exercise in library}
        field = self.fields["exercise"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", gettext("Choose an exercise"))] + [
            (pk, exercise_label(exercise)) for pk, exercise in self.library.items()
        ]

    def chosen(self) -> Exercise:
        return self.library[self.cleaned_data["exercise"]]

    def dose(self) -> DoseInput:
        """The dose typed in; each box left empty takes the library's."""
        default = DoseInput.of(self.chosen())
        given = {name: self.cleaned_data.get(name) for name in DOSE_FIELDS}
        return DoseInput(**{name: getattr(default, name) if value is None else value for name, value in given.items()})

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        _add(self, fields)


class DoseForm(AccessibleForm):
    """One prescription's dose, prefilled; its prefix keeps the ids apart on a page of several."""

    sets = _dose_field(DOSE_FIELDS["sets"][0], SETS, required=True)
    repetitions = _dose_field(DOSE_FIELDS["repetitions"][0], REPETITIONS, required=True)
    hold_seconds = _dose_field(DOSE_FIELDS["hold_seconds"][0], HOLD_SECONDS, required=True)
    times_a_day = _dose_field(DOSE_FIELDS["times_a_day"][0], TIMES_A_DAY, required=True)

    def __init__(self, data: Any = None, *, prescription: PlanExercise) -> None:
        initial = {name: getattr(prescription, name) for name in DOSE_FIELDS}
        super().__init__(data, prefix=f"dose-{prescription.pk}", initial=initial)
        _range_messages(self)

    def dose(self) -> DoseInput:
        return DoseInput(**{name: self.cleaned_data[name] for name in DOSE_FIELDS})

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        _add(self, fields)
