"""The waitlist entry form (join and change): plain fields, no JavaScript."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from booking.models import AppointmentType
from booking.selectors import practitioners_offering
from core import formats
from waitlist.models import Entry, PartOfDay, Reach
from waitlist.services.entries import EntryInput, InvalidEntry

MONDAY = date(2024, 1, 1)  # any Monday: weekday names come from the locale, not from a list of words
NOTICE_CHOICES = (60, 120, 240, 24 * 60, 2 * 24 * 60)
ANYONE = ""


def weekday_names() -> list[tuple[str, str]]:
    return [(str(day), formats.weekday_name(MONDAY + timedelta(days=day))) for day in range(7)]


def notice_words(minutes: int) -> str:
    if minutes and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class EntryForm(forms.Form):
    practitioner = forms.ChoiceField(label=_("Practitioner"), required=False)
    first_day = forms.DateField(label=pgettext_lazy("waitlist range", "From"), widget=DateInput())
    last_day = forms.DateField(
        label=pgettext_lazy("waitlist range", "Until"),
        widget=DateInput(),
        help_text=_("At most 90 days after the first day."),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days that suit you"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if any day suits you."),
    )
    parts_of_day = forms.MultipleChoiceField(
        label=_("Times of day that suit you"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=PartOfDay.choices,
        help_text=_("Leave all unticked if any time suits you."),
    )
    notice_minutes = forms.TypedChoiceField(
        label=_("Shortest notice you need"),
        coerce=int,
        help_text=_("We only offer you times at least this far ahead."),
    )
    reach_by = forms.ChoiceField(
        label=_("How should we tell you about a free time?"),
        widget=forms.RadioSelect,
        choices=Reach.choices,
    )

    def __init__(self, *args: Any, kind: AppointmentType, entry: Entry | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.people = {str(p.pk): p for p in practitioners_offering(kind).order_by("display_name", "id")}
        if entry is not None and entry.practitioner is not None:
            self.people.setdefault(str(entry.practitioner_id), entry.practitioner)
        self.fields["practitioner"].choices = [  # type: ignore[attr-defined]
            (ANYONE, _("Anyone")),
            *((pk, p.display_name) for pk, p in self.people.items()),
        ]
        self.fields["weekdays"].choices = weekday_names()  # type: ignore[attr-defined]
        notices = set(NOTICE_CHOICES) | ({entry.notice_minutes} if entry is not None else set())
        self.fields["notice_minutes"].choices = [  # type: ignore[attr-defined]
            (minutes, notice_words(minutes)) for minutes in sorted(notices)
        ]

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            appointment_type=self.kind,
            practitioner=self.people.get(data["practitioner"]),
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekdays=[int(day) for day in data["weekdays"]],
            parts_of_day=list(data["parts_of_day"]),
            notice_minutes=data["notice_minutes"],
            reach_by=data["reach_by"],
        )

    def refused(self, exc: InvalidEntry) -> None:
        """The service's field errors next to their fields (the treatment's above the form)."""
        for name, messages in exc.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def initial_for(entry: Entry) -> dict[str, Any]:
    return {
        "practitioner": str(entry.practitioner_id) if entry.practitioner_id else ANYONE,
        "first_day": entry.first_day,
        "last_day": entry.last_day,
        "weekdays": [str(day) for day in entry.weekdays],
        "parts_of_day": entry.parts_of_day,
        "notice_minutes": entry.notice_minutes,
        "reach_by": entry.reach_by,
    }
