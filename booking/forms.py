"""Forms of the patient's booking pages. Each field is labelled; errors are linked to
their fields (core.forms.AccessibleMixin) and repeated in an error summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validation import normalise_phone
from consent.models import ConsentFormVersion, QuestionnaireVersion
from core.forms import AccessibleForm

GUARDIAN_AUTHORITY = _(
    "I am the patient's parent or legal guardian, and I have the legal right to agree to treatment for them."
)


class DetailsForm(AccessibleForm):
    """What care needs to know: who the patient is and how to reach them."""

    legal_name = forms.CharField(
        label=_("Full legal name"),
        max_length=200,
        help_text=_("As on an official document. If you are booking for a child, give the child's name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full legal name.")},
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter your date of birth."),
            "invalid": _("Enter a real date, e.g. 1990-05-14."),
        },
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("With the country code, e.g. +44 7911 123456. The clinic calls this number if it must reach you."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter a phone number the clinic can call.")},
    )

    def clean_legal_name(self) -> str:
        return " ".join(self.cleaned_data["legal_name"].split())

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError(_("Your date of birth cannot be in the future."))
        if born.year < 1900:
            raise ValidationError(_("Enter a date of birth after 1900."))
        return born

    def clean_phone(self) -> str:
        # The country of the clinic being booked (the details step sets `phone_region`):
        # a number typed the national way there is read as that country's.
        return normalise_phone(self.cleaned_data["phone"], getattr(self, "phone_region", None))


class ScreeningForm(AccessibleForm):
    """One field per question of a published questionnaire; the rules live in consent.screening."""

    def __init__(self, questionnaire: QuestionnaireVersion, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = questionnaire.items
        for item in self.items:
            self.fields[item["id"]] = _question_field(item)

    def answers(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}

    def questions(self) -> list[tuple[dict[str, Any], forms.BoundField]]:
        return [(item, self[item["id"]]) for item in self.items]


def _question_field(item: dict[str, Any]) -> forms.Field:
    required = bool(item.get("required", True))
    messages = {"required": _("Please answer this question."), "invalid_choice": _("Please choose one of the answers.")}
    if item["type"] == "text":
        return forms.CharField(
            label=item["text"],
            help_text=item.get("help", ""),
            required=required,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages=messages,
        )
    choices = [(option["value"], option["label"]) for option in item["options"]]
    return forms.ChoiceField(
        label=item["text"],
        help_text=item.get("help", ""),
        required=required,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages=messages,
    )


class HealthChangedForm(AccessibleForm):
    changed = forms.ChoiceField(
        label=_("Has your health changed since you signed?"),
        choices=[("no", _("No, my health is the same")), ("yes", _("Yes, something has changed"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose an answer.")},
    )


class ConsentSignForm(AccessibleForm):
    """Every acknowledgement, the e-records agreement, a typed name, an optional drawn
    signature, and for a minor the guardian's relationship, authority and the minor's assent."""

    def __init__(
        self,
        consent_form: ConsentFormVersion,
        *args: Any,
        minor: bool,
        patient_name: str,
        e_records_disclosure: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.minor = minor
        self.ack_ids = [a["id"] for a in consent_form.acknowledgements]
        for ack in consent_form.acknowledgements:
            self.fields[f"ack_{ack['id']}"] = forms.BooleanField(
                label=ack["text"], error_messages={"required": _("Tick this statement to sign.")}
            )
        self.e_records_disclosure = e_records_disclosure
        self.fields["e_records_accepted"] = forms.BooleanField(
            label=_("I agree to sign electronically and to get my records electronically, as described above."),
            error_messages={"required": _("Agree to electronic records, or ask the clinic for a paper form.")},
        )
        if minor:
            self.fields["guardian_relationship"] = forms.CharField(
                label=_("How are you related to %(name)s?") % {"name": patient_name},
                help_text=_("For example: mother, father, legal guardian."),
                max_length=100,
                error_messages={"required": _("Say how you are related to the patient.")},
            )
            self.fields["guardian_authority"] = forms.BooleanField(
                label=GUARDIAN_AUTHORITY,
                error_messages={"required": _("Confirm that you have the legal right to decide for the patient.")},
            )
            self.fields["minor_assent"] = forms.BooleanField(
                label=_("%(name)s has been told about dry needling, in words they understand, and agrees to it.")
                % {"name": patient_name},
                error_messages={"required": _("The patient must agree to the treatment too.")},
            )
        self.fields["typed_name"] = forms.CharField(
            label=_("Your full name (parent or guardian)") if minor else _("Type your full legal name to sign"),
            help_text="" if minor else _("Exactly as in your details: %(name)s") % {"name": patient_name},
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
            error_messages={"required": _("Type your full name to sign.")},
        )
        self.fields["signature_svg"] = forms.CharField(
            label=_("Drawn signature (optional)"), required=False, widget=forms.Textarea(attrs={"hidden": True})
        )

    def acknowledgement_fields(self) -> list[forms.BoundField]:
        return [self[f"ack_{ack_id}"] for ack_id in self.ack_ids]

    def guardian_fields(self) -> list[forms.BoundField]:
        if not self.minor:
            return []
        return [self["guardian_relationship"], self["guardian_authority"], self["minor_assent"]]

    def acknowledgements(self) -> list[str]:
        return [ack_id for ack_id in self.ack_ids if self.cleaned_data.get(f"ack_{ack_id}")]

    # Where the consent service's field errors belong on this page.
    SERVICE_FIELDS = {
        "typed_name": "typed_name",
        "e_records_accepted": "e_records_accepted",
        "signature_svg": "signature_svg",
        "guardian.relationship": "guardian_relationship",
        "guardian.authority": "guardian_authority",
        "guardian.minor_assent": "minor_assent",
    }

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        for key, messages in fields.items():
            target = self.SERVICE_FIELDS.get(key)
            if key == "acknowledgements" and self.ack_ids:
                target = f"ack_{self.ack_ids[0]}"
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class WithdrawForm(AccessibleForm):
    note = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
