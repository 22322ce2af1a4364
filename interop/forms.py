"""The clinic admin's form for a new client key."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interop.models import Scope


class NewKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Who uses this key, e.g. “City Hospital EHR”. Only your clinic's admins see it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the key may do.")},
    )

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()
