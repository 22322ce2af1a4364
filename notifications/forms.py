from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.models import RED_FLAGS, SideEffect
from core.forms import AccessibleForm

PAIN_CHOICES = [(0, _("0 (no pain)")), *[(n, str(n)) for n in range(1, 10)], (10, _("10 (worst)"))]


class CheckinForm(AccessibleForm):
    pain_now = forms.TypedChoiceField(
        label=_("How much pain do you have now?"),
        help_text=_("Choose a number from 0 (no pain) to 10 (the worst pain you can imagine)."),
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how much pain you have now, from 0 to 10."),
            "invalid_choice": _("Choose a number from 0 to 10."),
        },
    )
    side_effects = forms.MultipleChoiceField(
        label=_("Since your visit, have you had any of these?"),
        help_text=_("Tick all that apply, or none."),
        choices=SideEffect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose side effects from the list.")},
    )
    notes = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    red_flags = sorted(RED_FLAGS)
