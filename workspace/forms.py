"""Forms of the practitioner workspace. Labels for staff, errors linked to their fields
(core.forms.AccessibleMixin) and listed in an error summary. The services check
everything again: these only give the first, friendliest answer."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from care.services import NoteInput
from core.forms import AccessibleForm
from workspace.schedule_rules import Window, weekday_names
from workspace.vocab import ADVERSE_EVENTS, REGION_LABELS, REGIONS

PAIN_HINT = _("0 is no pain, 10 the worst pain imaginable.")


def _pain(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        help_text=PAIN_HINT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10, "step": 1}),
        error_messages={
            "required": _("Give a pain score from 0 to 10."),
            "invalid": _("Give a whole number from 0 to 10."),
            "min_value": _("Pain scores run from 0 to 10."),
            "max_value": _("Pain scores run from 0 to 10."),
        },
    )


class SessionNoteForm(AccessibleForm):
    pain_before = _pain(_("Pain before the session"))
    pain_after = _pain(_("Pain after the session"))
    regions = forms.MultipleChoiceField(
        label=_("Regions treated"),
        choices=REGIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_regions = forms.CharField(
        label=_("Other regions"),
        required=False,
        max_length=300,
        help_text=_("Separate several with commas."),
    )
    adverse_events = forms.MultipleChoiceField(
        label=_("Adverse events during the session"),
        choices=ADVERSE_EVENTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    adverse_events_other = forms.CharField(
        label=_("Other adverse events, or details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exercises = forms.CharField(
        label=_("Exercises prescribed"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent_reconfirmed = forms.BooleanField(
        label=_("I confirmed the patient's consent in person before needling"),
        required=False,
    )

    def __init__(self, *args: Any, needling: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needling = needling
        if not needling:
            del self.fields["consent_reconfirmed"]
            self.fields["regions"].help_text = ""
        else:
            self.fields["regions"].help_text = _("Choose at least one.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.needling and not (cleaned.get("regions") or self._other_regions(cleaned)):
            self.add_error("regions", _("Choose at least one region treated."))
        return cleaned

    @staticmethod
    def _other_regions(cleaned: dict[str, Any]) -> list[str]:
        return [r.strip() for r in cleaned.get("other_regions", "").split(",") if r.strip()]

    def note(self) -> NoteInput:
        data = self.cleaned_data
        return NoteInput(
            pain_before=data["pain_before"],
            pain_after=data["pain_after"],
            regions=[*data.get("regions", []), *self._other_regions(data)],
            adverse_events=list(data.get("adverse_events", [])),
            adverse_events_other=data.get("adverse_events_other", ""),
            exercises=data.get("exercises", ""),
            consent_reconfirmed=bool(data.get("consent_reconfirmed", False)),
        )

    @classmethod
    def initial_from(cls, note: Any) -> dict[str, Any]:
        known = [r for r in note.regions if r in REGION_LABELS]
        return {
            "pain_before": note.pain_before,
            "pain_after": note.pain_after,
            "regions": known,
            "other_regions": ", ".join(r for r in note.regions if r not in REGION_LABELS),
            "adverse_events": note.adverse_events,
            "adverse_events_other": note.adverse_events_other,
            "exercises": note.exercises,
            "consent_reconfirmed": note.consent_reconfirmed,
        }


class ReasonForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The patient is told that the clinic made this change."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for the change.")},
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Give a reason for the change."))
        return reason


class MoveForm(ReasonForm):
    start = forms.ChoiceField(
        label=_("New time"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the free times."),
            "invalid_choice": _("Choose one of the free times."),
        },
    )

    def __init__(self, *args: Any, times: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = times
        self.order_fields(["start", "reason"])


class ReviewForm(AccessibleForm):
    note = forms.CharField(
        label=_("Your note"),
        max_length=2000,
        help_text=_("Required. If you decline, the patient reads this note as the reason."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a note explaining your decision.")},
    )
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(_("Write a note explaining your decision."))
        return note


class WindowForm(AccessibleForm):
    """One working period; the day names follow the active language."""

    weekday = forms.TypedChoiceField(label=_("Day"), choices=[], coerce=int, required=False)
    start = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        error_messages={"invalid": _("Give a time such as 09:00.")},
    )
    end = forms.TimeField(
        label=_("To"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        error_messages={"invalid": _("Give a time such as 17:30.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = [(str(i), name.capitalize()) for i, name in enumerate(weekday_names())]
        self.fields["weekday"].choices = [("", _("Choose a day")), *days]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("DELETE"):
            return cleaned
        filled = [cleaned.get(name) not in (None, "") for name in ("weekday", "start", "end")]
        if any(filled) and not all(filled):
            for name, present in zip(("weekday", "start", "end"), filled, strict=True):
                if not present and name not in self.errors:
                    self.add_error(name, _("Fill in the day and both times, or leave the row empty."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, time) and isinstance(end, time) and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return cleaned

    def window(self) -> Window | None:
        data = getattr(self, "cleaned_data", {})
        if data.get("DELETE") or data.get("weekday") in (None, "") or not data.get("start") or not data.get("end"):
            return None
        return Window(int(data["weekday"]), data["start"], data["end"])


class BaseWindowFormSet(forms.BaseFormSet[WindowForm]):
    def add_fields(self, form: WindowForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def windows(self) -> list[Window]:
        return [w for form in self.forms if (w := form.window()) is not None]


WindowFormSet = forms.formset_factory(WindowForm, formset=BaseWindowFormSet, extra=3, can_delete=True, max_num=40)


class TimeOffForm(AccessibleForm):
    """Times are read in the clinic's zone; a wall time that does not exist or is
    repeated there (on a DST change) is refused with a clear message."""

    start = forms.DateTimeField(
        label=_("From"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Give the start of the time off."), "invalid": _("Give a date and time.")},
    )
    end = forms.DateTimeField(
        label=_("To"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Give the end of the time off."), "invalid": _("Give a date and time.")},
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=200)

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def full_clean(self) -> None:
        with timezone.override(self.zone):
            super().full_clean()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return cleaned
