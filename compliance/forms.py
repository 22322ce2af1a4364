"""Filters and choices on the audit pages. Bad input is a message on the field, never a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from booking.models import Clinic
from compliance import selectors
from compliance.access import AdminScope
from consent.models import ConsentFormVersion
from core.forms import AccessibleForm

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
DATE_ERRORS = {"invalid": _("Enter the date as year-month-day, for example 2026-03-31.")}
CHANNELS = [
    ("staff_page", _("Audit or staff page")),
    ("admin", _("Django admin")),
    ("api", _("API")),
    ("patient_page", _("Patient's own page")),
    ("pdf", _("PDF")),
    ("csv", _("CSV export")),
    ("fhir", _("FHIR export")),
]
# The model's own choices, with labels in the reader's language.
ACTIONS = [
    ("view", pgettext_lazy("access", "View")),
    ("download", pgettext_lazy("access", "Download")),
    ("export", pgettext_lazy("access", "Export")),
]
SIGNER_ROLES = [("patient", _("The patient")), ("guardian", _("A parent or guardian"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput(), error_messages=DATE_ERRORS)


def _check_range(form: forms.Form, start_name: str, end_name: str) -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    for name, value in ((start_name, start), (end_name, end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            form.add_error(name, _("Enter a date between 1900 and 2200."))
    if start and end and end < start and not form.has_error(end_name):
        form.add_error(end_name, _("The end date must be on or after the start date."))


class ClinicChoice(forms.ModelChoiceField[Clinic]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class FormVersionChoice(forms.ModelChoiceField[ConsentFormVersion]):
    def __init__(self, *args: Any, clinic_names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_names = clinic_names

    def label_from_instance(self, obj: Any) -> str:
        clinic = self.clinic_names.get(obj.scope, obj.scope)
        label = f"{obj.title} v{obj.version}"
        return f"{label} ({clinic})" if len(set(self.clinic_names.values())) > 1 else label


class ConsentFilterForm(AccessibleForm):
    clinic = ClinicChoice(
        label=_("Clinic"),
        queryset=Clinic.objects.none(),
        required=False,
        empty_label=_("All my clinics"),
        error_messages={"invalid_choice": _("Choose one of your clinics from the list.")},
    )
    q = forms.CharField(
        label=_("Patient name or email"),
        required=False,
        max_length=200,
        help_text=_("Part of the patient's legal name or email address."),
    )
    signed_from = _date_field(_("Signed from"))
    signed_to = _date_field(_("Signed to"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *selectors.STATUS_LABELS.items()],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    form_version = FormVersionChoice(
        queryset=ConsentFormVersion.objects.none(),
        clinic_names={},
        required=False,
        empty_label=_("Any version"),
        label=_("Form version"),
        error_messages={
            "invalid_choice": _("That form version is not one of your clinics'. Choose one from the list.")
        },
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=selectors.Practitioner.objects.none(),
        required=False,
        empty_label=_("Any practitioner"),
        error_messages={
            "invalid_choice": _("That practitioner does not work at your clinics. Choose one from the list.")
        },
    )
    signer_role = forms.ChoiceField(
        label=_("Signed by"),
        required=False,
        choices=[("", _("Anyone")), *SIGNER_ROLES],
        error_messages={"invalid_choice": _("Choose who signed from the list.")},
    )

    def __init__(self, data: Any, *, scope: AdminScope) -> None:
        super().__init__(data)
        self.scope = scope
        clinic_field = self.fields["clinic"]
        assert isinstance(clinic_field, forms.ModelChoiceField)
        clinic_field.queryset = Clinic.objects.filter(pk__in=[c.pk for c in scope.clinics]).order_by("name")
        version_field = self.fields["form_version"]
        assert isinstance(version_field, FormVersionChoice)
        version_field.queryset = selectors.form_versions(scope)
        version_field.clinic_names = {c.slug: c.name for c in scope.clinics}
        practitioner_field = self.fields["practitioner"]
        assert isinstance(practitioner_field, forms.ModelChoiceField)
        practitioner_field.queryset = selectors.practitioners(scope)
        if len(scope.clinics) == 1:
            del self.fields["clinic"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, "signed_from", "signed_to")
        return cleaned

    def query(self) -> selectors.ConsentQuery:
        """The cleaned filters; call only when the form is valid."""
        data = self.cleaned_data
        clinic = data.get("clinic")
        form_version = data.get("form_version")
        practitioner = data.get("practitioner")
        return selectors.ConsentQuery(
            clinics=[clinic] if clinic else list(self.scope.clinics),
            signed_from=data.get("signed_from"),
            signed_to=data.get("signed_to"),
            form_version_id=form_version.pk if form_version else None,
            practitioner_id=practitioner.pk if practitioner else None,
            status=data.get("status") or "",
            signer_role=data.get("signer_role") or "",
            search=(data.get("q") or "").strip(),
        )

    def described(self) -> dict[str, Any]:
        """The filters as a JSON-ready record, for the export's audit row."""
        return {
            name: (value.pk if hasattr(value, "pk") else value.isoformat() if isinstance(value, date) else value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


class ExportForm(AccessibleForm):
    include_health_answers = forms.BooleanField(
        required=False,
        label=_("Include the health screening answers"),
        help_text=_("Only if you need them: the answers are health data, and this choice is recorded."),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "export-hint"}),
    )


class AccessLogFilterForm(AccessibleForm):
    at_from = _date_field(_("From"))
    at_to = _date_field(_("To"))
    who = forms.CharField(label=_("Who (email)"), required=False, max_length=200)
    patient = forms.CharField(label=_("Patient name or email"), required=False, max_length=200)
    consent = forms.IntegerField(
        label=_("Consent number"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": _("Enter a consent number, for example 1042."),
            "min_value": _("Enter a consent number, for example 1042."),
            "max_value": _("That consent number is too large."),
        },
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *ACTIONS],
        error_messages={"invalid_choice": _("Choose an action from the list.")},
    )
    channel = forms.ChoiceField(
        label=_("How"),
        required=False,
        choices=[("", _("Any way")), *CHANNELS],
        error_messages={"invalid_choice": _("Choose a channel from the list.")},
    )

    def __init__(self, data: Any, *, scope: AdminScope) -> None:
        super().__init__(data)
        self.scope = scope

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_range(self, "at_from", "at_to")
        return cleaned

    def query(self) -> selectors.AccessQuery:
        data = self.cleaned_data
        return selectors.AccessQuery(
            clinics=list(self.scope.clinics),
            at_from=data.get("at_from"),
            at_to=data.get("at_to"),
            who=(data.get("who") or "").strip(),
            action=data.get("action") or "",
            channel=data.get("channel") or "",
            consent_id=data.get("consent"),
            patient=(data.get("patient") or "").strip(),
        )


class ErasureLookupForm(AccessibleForm):
    email = forms.EmailField(
        label=_("Patient's email address"),
        max_length=254,
        error_messages={"invalid": _("Enter the email address the patient signs in with, like name@example.com.")},
    )


class ErasureConfirmForm(AccessibleForm):
    received_on = forms.DateField(
        label=_("When the patient asked"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Enter the date the patient asked.")},
    )
    note = forms.CharField(
        label=_("How the request came in"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: email of 3 March, identity checked by phone."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the patient's identity and want to carry out this request"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, data: Any = None, *, today: date, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today

    def clean_received_on(self) -> date:
        value = self.cleaned_data["received_on"]
        if value > self.today:
            raise ValidationError(_("The date the patient asked cannot be in the future."))
        if value < EARLIEST:
            raise ValidationError(_("Enter a date after 1900."))
        return value
