from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Patient
from accounts.validation import normalise_phone, phone_example, time_zone_choices, validate_time_zone
from core.forms import AccessibleForm, AccessibleModelForm


class EmailForm(AccessibleForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class CodeForm(AccessibleForm):
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("The code is 6 digits.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"\d{6}", "maxlength": "6"}
        ),
    )


class StaffPasswordForm(AccessibleForm):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class StaffCodeForm(AccessibleForm):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class ProfileForm(AccessibleModelForm):
    """The patient's details, and the language of their pages and messages (kept on their
    user, not the patient: staff have one too). `region` is the country whose national
    phone format is accepted (accounts.selectors.phone_region)."""

    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    class Meta:
        model = Patient
        fields = ["legal_name", "preferred_name", "date_of_birth", "phone", "time_zone", "notify_email", "notify_sms"]
        labels = {
            "legal_name": _("Full legal name"),
            "preferred_name": _("What should we call you? (optional)"),
            "date_of_birth": _("Date of birth"),
            "phone": _("Mobile number (optional)"),
            "notify_email": _("Send me reminders by email"),
            "notify_sms": _("Send me reminders by text message"),
        }
        widgets = {
            "legal_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "date_of_birth": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args: Any, region: str | None = None, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        choices = [("", _("The clinic's time zone"))] + [(z, z.replace("_", " ")) for z in time_zone_choices()]
        self.fields["time_zone"].choices = choices
        self.fields["language"].initial = language
        self.fields["phone"].help_text = phone_help(region)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone") or "", self.region)

    def clean_time_zone(self) -> str:
        return validate_time_zone(self.cleaned_data.get("time_zone") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("notify_sms") and not data.get("phone"):
            self.add_error("phone", _("Add a mobile number to get text messages."))
        return data


def phone_help(region: str | None) -> str:
    if region:
        return gettext("For example %(example)s. A number from another country starts with its country code.") % {
            "example": phone_example(region)
        }
    return gettext("With the country code, e.g. %(example)s.") % {"example": phone_example(None)}
