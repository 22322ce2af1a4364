from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from accounts.models import Patient
from accounts.validation import normalise_phone, validate_time_zone
from core.rest import StrictBooleanField, StrictCharField, StrictEmailField, StrictRegexField


class SignInStartSerializer(serializers.Serializer[Any]):
    email = StrictEmailField(max_length=254)


class SignInStartedSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


class SignInVerifySerializer(serializers.Serializer[Any]):
    email = StrictEmailField(max_length=254)
    code = StrictRegexField(r"^\d{6}$", error_messages={"invalid": gettext_lazy("The code is 6 digits.")})


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error shape, for the schema. Its key "fields" would shadow
    Serializer.fields if declared as a class attribute, so it is added below."""

    code = serializers.CharField()
    detail = serializers.CharField()


ErrorSerializer._declared_fields["fields"] = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    help_text="Field name -> messages; empty when the error is not about one field.",
)


class LanguageField(serializers.ChoiceField):
    """The user's language (on the user, not the patient); when never chosen, the one
    this answer is written in."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=settings.LANGUAGES, source="user.language", **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value or translation.get_language())

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return str(super().to_internal_value(data))


class PatientProfileSerializer(serializers.ModelSerializer[Patient]):
    # The patient's details and language. Context `region` (accounts.selectors.phone_region):
    # the country whose national phone format is accepted; without it only +CC numbers are.
    # JSON types only: DRF's own fields would take 0 for false and 5 for "5".
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.BooleanField: StrictBooleanField,
    }
    email = serializers.EmailField(source="user.email", read_only=True)
    language = LanguageField(
        required=False,
        help_text="The language of the patient's pages and of everything Acus sends them (en-gb, es, fr).",
    )

    class Meta:
        model = Patient
        fields = [
            "email",
            "legal_name",
            "preferred_name",
            "date_of_birth",
            "phone",
            "time_zone",
            "notify_email",
            "notify_sms",
            "language",
        ]

    def _django(self, check: Any, value: str) -> Any:
        try:
            return check(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_phone(self, value: str) -> str:
        region = self.context.get("region")
        return str(self._django(lambda raw: normalise_phone(raw, region), value))

    def validate_time_zone(self, value: str) -> str:
        return str(self._django(validate_time_zone, value))

    def validate_date_of_birth(self, value: Any) -> Any:
        if value is not None and (value > timezone.localdate() or value.year < 1900):
            raise serializers.ValidationError(_("Enter your real date of birth."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        phone = attrs.get("phone", instance.phone if isinstance(instance, Patient) else "")
        sms = attrs.get("notify_sms", instance.notify_sms if isinstance(instance, Patient) else False)
        if sms and not phone:
            raise serializers.ValidationError({"phone": [_("Add a mobile number to get text messages.")]})
        return attrs


class StaffMeSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    role = serializers.CharField()
    verified = serializers.BooleanField()
