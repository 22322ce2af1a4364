"""Forms of the staff waitlist pages: offering a free time to a chosen patient, and the
period of the fill statistics (?from=&to=, the names the brief's links use)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleForm


class OfferForm(AccessibleForm):
    """The start is one of the practitioner's free times for the entry's treatment that day,
    given as the ISO instant the page listed; anything else is a field error."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    treatment = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.ChoiceField(
        label=_("Time to offer"), error_messages={"invalid_choice": _("That time is not free. Choose another.")}
    )

    def __init__(self, *args: Any, starts: list[datetime], treatment_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.starts = {start.isoformat(): start for start in starts}
        self.treatment_id = treatment_id
        self.fields["start"].choices = [(key, key) for key in self.starts]

    def clean_treatment(self) -> int:
        value: int = self.cleaned_data["treatment"]
        if value != self.treatment_id:
            raise forms.ValidationError(_("Offer the treatment the patient is waiting for."))
        return value

    def chosen_start(self) -> datetime:
        return self.starts[self.cleaned_data["start"]]


class PeriodForm(AccessibleForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        errors = {"invalid": _("Give a date as year-month-day.")}
        # "from" is a Python keyword, so the fields are added here rather than declared.
        self.fields["from"] = forms.DateField(label=_("From"), widget=widget, error_messages=errors)
        self.fields["to"] = forms.DateField(label=_("To"), widget=widget, error_messages=errors)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from"), cleaned.get("to")
        if isinstance(first, date) and isinstance(last, date) and last < first:
            self.add_error("to", _("The end of the period must not be before its start."))
        return cleaned
