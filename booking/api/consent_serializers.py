"""Input and output shapes for screening and consent endpoints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from core.rest import StrictBooleanField, StrictCharField, StrictIntegerField


class ClinicQuery(serializers.Serializer[Any]):
    clinic = serializers.SlugField(help_text="The clinic's slug, e.g. harbour-physio.")
    appointment = serializers.IntegerField(required=False, help_text="Fill the form's blanks for this appointment.")


class SideEffectOut(serializers.Serializer[Any]):
    effect = serializers.CharField()
    how_often = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class SectionOut(serializers.Serializer[Any]):
    id = serializers.CharField()
    heading = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())


class AcknowledgementOut(serializers.Serializer[Any]):
    id = serializers.CharField()
    text = serializers.CharField()


# What a document adds about its language: the one shown and why (context from
# booking.api.documents.language_context). No docstring: it would describe every document.
class ShownLanguage(serializers.Serializer[Any]):
    language = serializers.SerializerMethodField(
        help_text="The language of the text shown: the caller's (Accept-Language, else their stored "
        "language) when the clinic has a reviewed translation into it, else the clinic's own."
    )
    translation = serializers.SerializerMethodField(
        help_text="The id of the reviewed translation shown; null when the clinic's own text is shown. "
        "Send it back when answering or signing."
    )
    missing_language = serializers.SerializerMethodField(
        help_text="The language the caller asked for that has no reviewed translation (the clinic's own "
        "text is shown instead); null when there is nothing missing."
    )
    notice = serializers.SerializerMethodField(
        help_text="When `missing_language` is set: a sentence for the patient saying so, in the caller's language."
    )

    @extend_schema_field(serializers.CharField())
    def get_language(self, document: Any) -> str:
        return str(self.context["language"])

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_translation(self, document: Any) -> int | None:
        return self.context.get("translation")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_missing_language(self, document: Any) -> str | None:
        return self.context.get("missing_language")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notice(self, document: Any) -> str | None:
        return self.context.get("notice")


SHOWN_LANGUAGE = ["language", "translation", "missing_language", "notice"]


class ConsentFormOut(ShownLanguage, serializers.ModelSerializer[ConsentFormVersion]):
    sha256 = serializers.CharField(source="content_sha256")
    sections = SectionOut(many=True)
    side_effects = SideEffectOut(many=True)
    acknowledgements = AcknowledgementOut(many=True)
    rendered_text_sha256 = serializers.SerializerMethodField(
        help_text="When `appointment` is given: sha256 of the exact text the patient will sign."
    )

    class Meta:
        model = ConsentFormVersion
        fields = [
            "id",
            "scope",
            "version",
            "title",
            "material",
            "published_at",
            "sha256",
            "sections",
            "side_effects",
            "acknowledgements",
            "intent_statement",
            "e_records_disclosure",
            "rendered_text_sha256",
            *SHOWN_LANGUAGE,
        ]

    def get_rendered_text_sha256(self, form: ConsentFormVersion) -> str | None:
        return self.context.get("rendered_text_sha256")


class QuestionnaireOut(ShownLanguage, serializers.ModelSerializer[QuestionnaireVersion]):
    sha256 = serializers.CharField(source="content_sha256")
    items = serializers.ListField(child=serializers.DictField(), help_text="Questions: id, text, help, type, options")

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "scope", "version", "title", "published_at", "sha256", "items", *SHOWN_LANGUAGE]


class ScreeningIn(serializers.Serializer[Any]):
    questionnaire_version = StrictIntegerField()
    answers = serializers.DictField(help_text="Question id -> answer value")
    appointment = StrictIntegerField(required=False, help_text="The visit being screened for, if any.")
    questionnaire_translation = StrictIntegerField(
        required=False,
        allow_null=True,
        help_text="The `translation` the questions were shown in (GET consent/questionnaire); null for the "
        "clinic's own text. Left out: the one offered now for the caller's language.",
    )


class ReasonOut(serializers.Serializer[Any]):
    item = serializers.CharField()
    code = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["clear", "review", "block"])
    explanation = serializers.CharField()
    site = serializers.BooleanField()


class AlternativeOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    duration_minutes = serializers.IntegerField()


class ScreeningOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=["clear", "review", "block"])
    reasons = ReasonOut(many=True)
    alternatives = AlternativeOut(many=True, help_text="Treatments without needling, offered when blocked.")
    language = serializers.CharField(help_text="The language the questions were shown in.")
    questionnaire_translation = serializers.IntegerField(
        allow_null=True, help_text="The translation the questions were shown in; null for the clinic's own text."
    )


class GuardianIn(serializers.Serializer[Any]):
    relationship = StrictCharField(max_length=100)
    authority = StrictCharField(max_length=2000, help_text="Why you may decide for the patient.")
    minor_assent = StrictBooleanField(help_text="The patient agrees to the treatment too.")


class ConsentIn(serializers.Serializer[Any]):
    form_version = StrictIntegerField(help_text="The clinic's current consent form version (GET consent/form).")
    screening = StrictIntegerField(
        help_text="Your latest screening for this clinic, on its current questionnaire, answered after the "
        "appointment was held."
    )
    appointment = StrictIntegerField()
    form_translation = StrictIntegerField(
        required=False,
        allow_null=True,
        help_text="The `translation` of the form shown (GET consent/form); null for the clinic's own text. "
        "When it is no longer the one offered for the caller's language, the signature is refused: read "
        "the form again. Left out: the one offered now.",
    )
    typed_name = StrictCharField(max_length=200)
    acknowledgements = serializers.ListField(child=StrictCharField(max_length=64), max_length=50)
    e_records_accepted = StrictBooleanField()
    signature_svg = StrictCharField(required=False, allow_blank=True, max_length=200_000, trim_whitespace=False)
    guardian = GuardianIn(required=False, allow_null=True)


class WithdrawIn(serializers.Serializer[Any]):
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)


class ConsentOut(serializers.ModelSerializer[SignedConsent]):
    form_version = serializers.IntegerField(source="form_version_id")
    form_title = serializers.CharField(source="form_version.title")
    form_number = serializers.IntegerField(source="form_version.version")
    screening_outcome = serializers.CharField(source="screening.outcome")
    status = serializers.SerializerMethodField()
    appointments = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField(help_text="The language of the text signed.")
    form_translation = serializers.IntegerField(
        source="form_translation_id",
        allow_null=True,
        help_text="The reviewed translation signed; null when the clinic's own text was signed.",
    )

    class Meta:
        model = SignedConsent
        fields = [
            "id",
            "signed_at",
            "form_version",
            "form_title",
            "form_number",
            "signer_role",
            "typed_name",
            "screening",
            "screening_outcome",
            "status",
            "rendered_text_sha256",
            "row_hash",
            "appointments",
            "language",
            "form_translation",
        ]

    def get_status(self, consent: SignedConsent) -> str:
        return str(self.context["statuses"].get(consent.pk, "active"))

    def get_appointments(self, consent: SignedConsent) -> list[int]:
        return [a.pk for a in consent.appointments.all()]

    @extend_schema_field(serializers.CharField())
    def get_language(self, consent: SignedConsent) -> str:
        # Rows from before translations have "": the source, in English, as consent.pdf reads them.
        return consent.language or settings.LANGUAGE_CODE


class ConsentDetailOut(ConsentOut):
    text = serializers.SerializerMethodField(help_text="The exact text as signed")
    answers = serializers.JSONField(source="screening.answers")
    reasons = serializers.JSONField(source="screening.reasons")

    class Meta(ConsentOut.Meta):
        fields = [*ConsentOut.Meta.fields, "text", "answers", "reasons", "intent_statement", "acknowledgements"]

    def get_text(self, consent: SignedConsent) -> str:
        return str(self.context["text"])


class WithdrawalOut(serializers.Serializer[Any]):
    consent = serializers.IntegerField(source="consent_id")
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class HealthCheckIn(serializers.Serializer[Any]):
    """The body of a confirm: needed for needling visits only, so it may be left out."""

    health_unchanged = StrictBooleanField(
        required=False,
        help_text="Needling visits: the patient confirms nothing changed in their health since signing. "
        "Without it a needling visit answers 409 consent_required.",
    )
