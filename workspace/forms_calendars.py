"""Forms for connecting a practitioner's own calendars. The password field never shows a value
back; the services check the addresses again and talk to the server."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleForm

NAME_HINT = _("Optional: how Acus names it on your pages, e.g. “Hospital shifts”.")


def _address(label: Any, hint: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        help_text=hint,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )


class CaldavForm(AccessibleForm):
    url = _address(
        _("Server address"),
        _("The CalDAV address your calendar provider gives, starting with https://, e.g. https://caldav.example.com/."),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("App password"),
        max_length=500,
        help_text=_(
            "Not your usual password: an app password is a separate password you create in your calendar "
            "account's security settings for one app, and can take back at any time without changing your own."
        ),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=NAME_HINT)


class IcsForm(AccessibleForm):
    url = _address(
        _("Calendar address (ICS)"),
        _(
            "The secret address in iCal format your calendar offers for sharing, starting with https:// or "
            "webcal://. Treat it like a password: anyone who has it can read the calendar."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=NAME_HINT)


class RenameForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=100)


class ChooseForm(AccessibleForm):
    calendar_url = forms.ChoiceField(label=_("Calendar in this account"))

    def __init__(self, *args: Any, calendars: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["calendar_url"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = calendars
