"""Input and output shapes of the waitlist entries' API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from booking.models import AppointmentType, Practitioner
from core.rest import StrictIntegerField, StrictPrimaryKeyRelatedField
from waitlist.models import Entry, PartOfDay, Reach
from waitlist.services.entries import MAX_NOTICE_MINUTES, EntryInput


class EntryIn(serializers.Serializer[Any]):
    appointment_type = StrictPrimaryKeyRelatedField(
        queryset=AppointmentType.objects.all(), help_text="The treatment's id (active and bookable online)."
    )
    practitioner = StrictPrimaryKeyRelatedField(
        queryset=Practitioner.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="A practitioner who offers the treatment; null for anyone.",
    )
    first_day = serializers.DateField(help_text="From this day (the clinic's local date), today or later.")
    last_day = serializers.DateField(help_text="Until this day, at most 90 days after first_day.")
    weekdays = serializers.ListField(
        child=StrictIntegerField(min_value=0, max_value=6),
        max_length=7,
        required=False,
        default=list,
        help_text="Days of the week that suit, 0 (Monday) to 6, each once; empty for any day.",
    )
    parts_of_day = serializers.ListField(
        child=serializers.ChoiceField(choices=PartOfDay.choices),
        max_length=len(PartOfDay.values),
        required=False,
        default=list,
        help_text="Parts of the day that suit, each once; empty for any time.",
    )
    notice_minutes = StrictIntegerField(
        min_value=0, max_value=MAX_NOTICE_MINUTES, help_text="The shortest notice the patient can make, in minutes."
    )
    reach_by = serializers.ChoiceField(
        choices=Reach.choices, default=Reach.EMAIL, help_text="How to send offers; sms needs a phone on record."
    )


class EntryPatch(EntryIn):
    """Any of the fields; the rest stay as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


def entry_input(data: dict[str, Any], base: Entry | None = None) -> EntryInput:
    """The wish the body gives; with `base`, what the body leaves out stays as it was."""

    def value(name: str) -> Any:
        if name in data:
            return data[name]
        return getattr(base, name)

    return EntryInput(
        appointment_type=value("appointment_type"),
        practitioner=value("practitioner"),
        first_day=value("first_day"),
        last_day=value("last_day"),
        weekdays=list(value("weekdays")),
        parts_of_day=list(value("parts_of_day")),
        notice_minutes=value("notice_minutes"),
        reach_by=value("reach_by"),
    )


class EntryOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    clinic = serializers.IntegerField()
    appointment_type = serializers.IntegerField()
    appointment_type_name = serializers.CharField(help_text="The treatment's name in the reader's language.")
    practitioner = serializers.IntegerField(allow_null=True, help_text="Null: any practitioner.")
    practitioner_name = serializers.CharField(allow_null=True)
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    weekdays = serializers.ListField(child=serializers.IntegerField())
    parts_of_day = serializers.ListField(child=serializers.ChoiceField(choices=PartOfDay.choices))
    notice_minutes = serializers.IntegerField()
    reach_by = serializers.ChoiceField(choices=Reach.choices)
    status = serializers.ChoiceField(choices=Entry.Status.choices)
    joined_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    booked = serializers.IntegerField(allow_null=True, help_text="The visit that satisfied the entry, if booked.")


def entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "clinic": entry.clinic_id,
        "appointment_type": entry.appointment_type_id,
        "appointment_type_name": entry.appointment_type.shown_name,
        "practitioner": entry.practitioner_id,
        "practitioner_name": entry.practitioner.display_name if entry.practitioner else None,
        "first_day": entry.first_day.isoformat(),
        "last_day": entry.last_day.isoformat(),
        "weekdays": entry.weekdays,
        "parts_of_day": entry.parts_of_day,
        "notice_minutes": entry.notice_minutes,
        "reach_by": entry.reach_by,
        "status": entry.status,
        "joined_at": entry.joined_at.isoformat(),
        "ended_at": entry.ended_at.isoformat() if entry.ended_at else None,
        "booked": entry.booked_id,
    }
