"""Input and output shapes of the staff API. Times are ISO 8601 with the clinic's offset.

Request bodies are read with core.rest's JSON-strict fields: 0 is not a reason, "5" not a pain score."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from booking.models import Appointment, SideEffect
from consent.models import SignedConsent
from core.rest import StrictBooleanField, StrictCharField, StrictIntegerField
from workspace.selectors.badges import CONSENT_WORDS

MAX_RANGE = timedelta(days=62)


class AwareDateTimeField(serializers.DateTimeField):
    """A date-time with its UTC offset: a bare wall time is ambiguous across zones."""

    def to_internal_value(self, value: Any) -> datetime:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is not None and parsed.tzinfo is None:
            raise serializers.ValidationError(_("Give the time with its UTC offset, e.g. 2026-03-02T09:00:00+00:00."))
        return super().to_internal_value(value)


class StaffCalendarQuery(serializers.Serializer[Any]):
    start = AwareDateTimeField(help_text="From this instant (ISO 8601 with offset).")
    end = AwareDateTimeField(help_text="Up to this instant; at most 62 days after `start`.")
    clinic = serializers.IntegerField(required=False, help_text="Only this clinic's appointments.")
    practitioner = serializers.IntegerField(required=False, help_text="Only this practitioner's appointments.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end must be after the start.")]})
        if attrs["end"] - attrs["start"] > MAX_RANGE:
            raise serializers.ValidationError({"end": [_("Ask for at most 62 days at a time.")]})
        return attrs


# The same choice list as the patient API's screening outcome, so the schema has one enum.
OUTCOMES = ["clear", "review", "block"]
SIDE_EFFECTS = ", ".join(SideEffect.values)


class StaffFlagOut(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=OUTCOMES, help_text="review or block (a flag is never clear).")
    explanation = serializers.CharField()
    site = serializers.BooleanField(help_text="A rule about one area: no needling there, the visit may go ahead.")


class StaffRefOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffTypeOut(StaffRefOut):
    involves_needling = serializers.BooleanField()


class StaffScreeningOut(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    flags = StaffFlagOut(many=True, help_text="Every reason for the outcome.")


class StaffAppointmentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    start = serializers.DateTimeField(help_text="In the clinic's zone, with its offset.")
    end = serializers.DateTimeField()
    time_zone = serializers.CharField()
    status = serializers.ChoiceField(choices=Appointment.Status.choices)
    arrived = serializers.BooleanField()
    version = serializers.IntegerField()
    appointment_type = StaffTypeOut()
    patient = StaffRefOut()
    practitioner = StaffRefOut()
    clinic = StaffRefOut()
    consent_status = serializers.ChoiceField(choices=list(CONSENT_WORDS))
    screening = StaffScreeningOut(allow_null=True, help_text="The screening answered for this visit, if any.")
    has_note = serializers.BooleanField()


class StaffPatientOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    preferred_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    age = serializers.IntegerField(allow_null=True)
    minor = serializers.BooleanField()
    phone = serializers.CharField()
    email = serializers.EmailField()


class StaffAnswerOut(serializers.Serializer[Any]):
    question = serializers.CharField()
    answer = serializers.CharField()
    flags = StaffFlagOut(many=True)


class StaffConsentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="active, withdrawn, superseded or expired, judged at the visit.")
    signed_at = serializers.DateTimeField()
    form_version = serializers.IntegerField()
    signer_role = serializers.ChoiceField(choices=SignedConsent.SignerRole.choices)
    typed_name = serializers.CharField()


class StaffReviewOut(serializers.Serializer[Any]):
    decision = serializers.CharField(help_text="approved or declined.")
    note = serializers.CharField()
    at = serializers.DateTimeField()
    reviewer = serializers.EmailField()


class StaffNoteOut(serializers.Serializer[Any]):
    appointment = serializers.IntegerField()
    session_start = serializers.DateTimeField()
    pain_before = serializers.IntegerField(min_value=0, max_value=10)
    pain_after = serializers.IntegerField(min_value=0, max_value=10)
    regions = serializers.ListField(child=serializers.CharField())
    adverse_events = serializers.ListField(child=serializers.CharField(), help_text=f"Any of: {SIDE_EFFECTS}.")
    adverse_events_other = serializers.CharField()
    exercises = serializers.CharField()
    consent_reconfirmed = serializers.BooleanField()
    author = serializers.EmailField()
    created_at = serializers.DateTimeField()


class StaffPainPointOut(serializers.Serializer[Any]):
    when = serializers.DateTimeField()
    score = serializers.IntegerField(min_value=0, max_value=10)
    # Named like the chart's input; DRF's metaclass moves it out of the class
    # attributes, so it does not replace Field.source at run time.
    source = serializers.ChoiceField(choices=["before", "after", "check-in"])  # type: ignore[assignment]
    change = serializers.IntegerField(help_text="From the baseline (the first score); negative is better.")
    percent = serializers.IntegerField(allow_null=True, help_text="Change as a percentage of the baseline.")
    meaningful = serializers.BooleanField(help_text="At least 2 points or 30% from the baseline.")


class StaffPainOut(serializers.Serializer[Any]):
    baseline = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    points = StaffPainPointOut(many=True)


class StaffAppointmentDetailOut(StaffAppointmentOut):
    patient_details = StaffPatientOut()
    answers = StaffAnswerOut(many=True, help_text="Flagged answers first.")
    other_flags = StaffFlagOut(many=True, help_text="Flags no single answer raised, e.g. the patient's age.")
    consent = StaffConsentOut(allow_null=True, help_text="The consent that covers this visit.")
    reviews = StaffReviewOut(many=True)
    note = StaffNoteOut(allow_null=True)
    earlier_notes = StaffNoteOut(many=True)
    pain = StaffPainOut()


class StaffConsentTextOut(serializers.Serializer[Any]):
    consent = serializers.IntegerField()
    text = serializers.CharField(help_text="The exact text signed. Reading it is written to the access log.")
    rendered_text_sha256 = serializers.CharField()
    matches = serializers.BooleanField(help_text="Does the rebuilt text still match the hash stored at signing?")


class StaffReasonIn(serializers.Serializer[Any]):
    reason = StrictCharField(max_length=300, help_text="Told to the patient.")


class StaffMoveIn(StaffReasonIn):
    start = AwareDateTimeField(help_text="One of the practitioner's free starts (see GET /slots).")


class StaffNoteIn(serializers.Serializer[Any]):
    pain_before = StrictIntegerField(min_value=0, max_value=10)
    pain_after = StrictIntegerField(min_value=0, max_value=10)
    regions = serializers.ListField(
        child=StrictCharField(max_length=80), max_length=20, default=list, help_text="Regions treated."
    )
    adverse_events = serializers.ListField(
        child=StrictCharField(), default=list, help_text=f"Seen during the session; any of: {SIDE_EFFECTS}."
    )
    adverse_events_other = StrictCharField(max_length=2000, allow_blank=True, default="")
    exercises = StrictCharField(max_length=4000, allow_blank=True, default="")
    consent_reconfirmed = StrictBooleanField(
        default=False, help_text="Consent confirmed in person; required to complete a needling session."
    )
    complete = StrictBooleanField(default=False, help_text="Also mark the session completed.")

    def validate_adverse_events(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SideEffect.values))
        if unknown:
            raise serializers.ValidationError(
                _("Not a side effect on the list: %(values)s.") % {"values": ", ".join(unknown)}
            )
        return value


class ReviewIn(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    note = StrictCharField(max_length=2000, help_text="Required; a decline's note is shown to the patient.")


class ReviewOut(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    note = serializers.CharField()
    status = serializers.ChoiceField(
        choices=Appointment.Status.choices, help_text="The appointment's status after it: confirmed or declined."
    )
