from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Patient
from accounts.validation import normalise_phone, time_zone_choices, validate_time_zone
from core.forms import AccessibleForm, AccessibleModelForm


class EmailForm(AccessibleForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class CodeForm(AccessibleForm):
    code = forms.RegexField(
        label="6-digit code",
        regex=r"^\d{6}$",
        error_messages={"invalid": "The code is 6 digits."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"\d{6}", "maxlength": "6"}
        ),
    )


class StaffPasswordForm(AccessibleForm):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class StaffCodeForm(AccessibleForm):
    code = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class ProfileForm(AccessibleModelForm):
    time_zone = forms.ChoiceField(label="Time zone", required=False)

    class Meta:
        model = Patient
        fields = ["legal_name", "preferred_name", "date_of_birth", "phone", "time_zone", "notify_email", "notify_sms"]
        labels = {
            "legal_name": "Full legal name",
            "preferred_name": "What should we call you? (optional)",
            "date_of_birth": "Date of birth",
            "phone": "Mobile number, with country code (optional)",
            "notify_email": "Send me reminders by email",
            "notify_sms": "Send me reminders by text message",
        }
        widgets = {
            "legal_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "date_of_birth": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "The clinic's time zone")] + [(z, z.replace("_", " ")) for z in time_zone_choices()]
        self.fields["time_zone"].choices = choices

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone") or "")

    def clean_time_zone(self) -> str:
        return validate_time_zone(self.cleaned_data.get("time_zone") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("notify_sms") and not data.get("phone"):
            self.add_error("phone", "Add a mobile number to get text messages.")
        return data
