"""Filters and choices on the audit pages. Bad input is a message on the field, never a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from booking.models import Clinic
from compliance import selectors
from compliance.access import AdminScope
from consent.models import ConsentAccessLog, ConsentFormVersion, SignedConsent
from core.forms import AccessibleForm

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
DATE_ERRORS = {"invalid": "Enter the date as year-month-day, for example 2026-03-31."}
CHANNELS = [
    ("staff_page", "Audit or staff page"),
    ("admin", "Django admin"),
    ("api", "API"),
    ("patient_page", "Patient's own page"),
    ("pdf", "PDF"),
    ("csv", "CSV export"),
    ("fhir", "FHIR export"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput(), error_messages=DATE_ERRORS)


def _check_range(form: forms.Form, start_name: str, end_name: str) -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    for name, value in ((start_name, start), (end_name, end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            form.add_error(name, "Enter a date between 1900 and 2200.")
    if start and end and end < start and not form.has_error(end_name):
        form.add_error(end_name, "The end date must be on or after the start date.")


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
        queryset=Clinic.objects.none(),
        required=False,
        empty_label="All my clinics",
        error_messages={"invalid_choice": "Choose one of your clinics from the list."},
    )
    q = forms.CharField(
        label="Patient name or email",
        required=False,
        max_length=200,
        help_text="Part of the patient's legal name or email address.",
    )
    signed_from = _date_field("Signed from")
    signed_to = _date_field("Signed to")
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *selectors.STATUS_LABELS.items()],
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    form_version = FormVersionChoice(
        queryset=ConsentFormVersion.objects.none(),
        clinic_names={},
        required=False,
        empty_label="Any version",
        label="Form version",
        error_messages={"invalid_choice": "That form version is not one of your clinics'. Choose one from the list."},
    )
    practitioner = forms.ModelChoiceField(
        queryset=selectors.Practitioner.objects.none(),
        required=False,
        empty_label="Any practitioner",
        error_messages={"invalid_choice": "That practitioner does not work at your clinics. Choose one from the list."},
    )
    signer_role = forms.ChoiceField(
        label="Signed by",
        required=False,
        choices=[("", "Anyone"), *SignedConsent.SignerRole.choices],
        error_messages={"invalid_choice": "Choose who signed from the list."},
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
        label="Include the health screening answers",
        help_text="Only if you need them: the answers are health data, and this choice is recorded.",
        widget=forms.CheckboxInput(attrs={"aria-describedby": "export-hint"}),
    )


class AccessLogFilterForm(AccessibleForm):
    at_from = _date_field("From")
    at_to = _date_field("To")
    who = forms.CharField(label="Who (email)", required=False, max_length=200)
    patient = forms.CharField(label="Patient name or email", required=False, max_length=200)
    consent = forms.IntegerField(
        label="Consent number",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": "Enter a consent number, for example 1042.",
            "min_value": "Enter a consent number, for example 1042.",
            "max_value": "That consent number is too large.",
        },
    )
    action = forms.ChoiceField(
        required=False,
        choices=[("", "Any action"), *ConsentAccessLog.Action.choices],
        error_messages={"invalid_choice": "Choose an action from the list."},
    )
    channel = forms.ChoiceField(
        label="How",
        required=False,
        choices=[("", "Any way"), *CHANNELS],
        error_messages={"invalid_choice": "Choose a channel from the list."},
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
        label="Patient's email address",
        max_length=254,
        error_messages={"invalid": "Enter the email address the patient signs in with, like name@example.com."},
    )


class ErasureConfirmForm(AccessibleForm):
    received_on = forms.DateField(
        label="When the patient asked",
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": "Enter the date the patient asked."},
    )
    note = forms.CharField(
        label="How the request came in",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: email of 3 March, identity checked by phone.",
    )
    confirm = forms.BooleanField(
        label="I have checked the patient's identity and want to carry out this request",
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, data: Any = None, *, today: date, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today

    def clean_received_on(self) -> date:
        value = self.cleaned_data["received_on"]
        if value > self.today:
            raise ValidationError("The date the patient asked cannot be in the future.")
        if value < EARLIEST:
            raise ValidationError("Enter a date after 1900.")
        return value
