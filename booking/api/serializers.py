"""Small input and output serializers for the booking API (booking/catalogue_api.py and
booking/appointments_api.py).

Times go out in the clinic's zone with their offset, e.g. 2026-03-30T09:00:00+01:00:
DRF would convert them to UTC and write "Z", and a patient's phone shows the clinic's
wall clock. Times come in only with an offset: a naive time is ambiguous, so it is a
field error rather than a guess."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from booking import selectors
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from core.rest import (
    PrecompiledPrimaryKeyRelatedField,
    StrictCharField,
    StrictPrecompiledPrimaryKeyRelatedField,
    StrictPrimaryKeyRelatedField,
)

MAX_SLOT_RANGE = timedelta(days=92)
# Far enough from datetime.min and .max that the engine's padding never overflows.
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 9000
_SPACE_FOR_PLUS = re.compile(r"^(.+T[\d:.]+) (\d{2}:?\d{2})$")


def active_types() -> QuerySet[AppointmentType]:
    return AppointmentType.objects.filter(active=True).select_related("clinic")


# The fields below are made afresh for every serializer (DRF copies the declared ones by calling
# their __init__ again), so their querysets are built once here instead: DRF reads a field's
# queryset only through .all(), a copy, and only the schema reads these (the lookups find).
_ACTIVE_TYPES = active_types()
_ACTIVE_PRACTITIONERS = Practitioner.objects.filter(active=True)


class ActiveTreatmentField(PrecompiledPrimaryKeyRelatedField):
    """PrimaryKeyRelatedField(queryset=active_types()), answering in the same words from one
    precompiled query (selectors.active_treatment): every slot list and hold starts here."""

    queryset = _ACTIVE_TYPES

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(lookup=selectors.active_treatment, **kwargs)


class StrictActiveTreatmentField(StrictPrimaryKeyRelatedField, ActiveTreatmentField):
    """An active treatment's id as a JSON integer only."""


class ActivePractitionerField(StrictPrecompiledPrimaryKeyRelatedField):
    """An active practitioner's id as a JSON integer, found with selectors.active_practitioner."""

    queryset = _ACTIVE_PRACTITIONERS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(lookup=selectors.active_practitioner, **kwargs)


# --- Fields ---------------------------------------------------------------------------


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant that must carry its UTC offset."""

    default_error_messages = {
        "naive": _("Give the time with its UTC offset, e.g. 2026-03-02T09:00:00+00:00."),
        "out_of_range": _("That date is out of range."),
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            # In a query string an unencoded "+" arrives as a space: "...T09:00:00 01:00".
            value = _SPACE_FOR_PLUS.sub(r"\1+\2", value.strip())
        return super().to_internal_value(value)

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        try:
            year = value.astimezone(UTC).year
        except OverflowError:
            self.fail("out_of_range")
        if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
            self.fail("out_of_range")
        return value


class InClinicZoneField(serializers.DateTimeField):
    """Read-only: the instant in the zone of the object it belongs to (its `zone`), offset included."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        value = super().get_attribute(instance)
        return value.astimezone(instance.zone) if isinstance(value, datetime) else value

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


# --- Catalogue ------------------------------------------------------------------------


class ClinicSerializer(serializers.ModelSerializer[Clinic]):
    class Meta:
        model = Clinic
        fields = [
            "id",
            "name",
            "slug",
            "time_zone",
            "address",
            "phone",
            "email",
            "min_notice_minutes",
            "max_advance_days",
            "hold_minutes",
            "cancellation_window_hours",
        ]


class InCallersLanguage:
    """The clinic's words (name, description, bio) in the caller's language where the clinic gave
    them (booking/models/wording.py); the fields and their schema stay as they are."""

    shown: tuple[tuple[str, str], ...] = ()

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        for field, attribute in self.shown:
            if field in data:
                data[field] = getattr(instance, attribute)
        return data


class AppointmentTypeSerializer(InCallersLanguage, serializers.ModelSerializer[AppointmentType]):
    shown = (("name", "shown_name"), ("description", "shown_description"))

    class Meta:
        model = AppointmentType
        fields = ["id", "clinic", "name", "description", "duration_minutes", "involves_needling"]


class PractitionerSerializer(InCallersLanguage, serializers.ModelSerializer[Practitioner]):
    """Public profile only: never credential numbers, never contact details."""

    shown = (("bio", "shown_bio"),)

    clinics = serializers.SerializerMethodField(help_text="Ids of the clinics they work at.")
    appointment_types = serializers.SerializerMethodField(help_text="Ids of the active treatments they offer.")

    class Meta:
        model = Practitioner
        fields = ["id", "display_name", "bio", "clinics", "appointment_types"]

    def get_clinics(self, practitioner: Practitioner) -> list[int]:
        return sorted(clinic.pk for clinic in practitioner.clinics.all())

    def get_appointment_types(self, practitioner: Practitioner) -> list[int]:
        return sorted(kind.pk for kind in practitioner.appointment_types.all() if kind.active)


class ClinicFilterSerializer(serializers.Serializer[Any]):
    clinic = serializers.PrimaryKeyRelatedField(
        queryset=Clinic.objects.all(), required=False, help_text="Only this clinic's."
    )


class PractitionerFilterSerializer(ClinicFilterSerializer):
    appointment_type = ActiveTreatmentField(required=False, help_text="Only those offering this treatment.")


# --- Slots ----------------------------------------------------------------------------


class SlotQuerySerializer(serializers.Serializer[Any]):
    appointment_type = ActiveTreatmentField(help_text="An active treatment.")
    practitioner = serializers.CharField(
        required=False, allow_blank=True, default="any", help_text="A practitioner's id, or `any` for whoever is free."
    )
    start = AwareDateTimeField(help_text="With an offset, e.g. 2026-03-02T00:00:00+00:00 (send `+` as %2B).")
    end = AwareDateTimeField(help_text=f"With an offset; after start, at most {MAX_SLOT_RANGE.days} days later.")
    reschedule = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "For moving an appointment: the id of one of the signed-in patient's own booked (or held) "
            "appointments of this treatment. It is then not counted as taken, so times that overlap it are "
            "offered; its own start with its own practitioner is not (moving there changes nothing). "
            "Any other id, or no sign-in, is a 400 on this field."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs["start"], attrs["end"]
        if end <= start:
            raise serializers.ValidationError({"end": [_("The end must be after the start.")]})
        if end - start > MAX_SLOT_RANGE:
            raise serializers.ValidationError(
                {"end": [_("Ask for at most %(days)s days at a time.") % {"days": MAX_SLOT_RANGE.days}]}
            )
        attrs["practitioner"] = self._practitioner(attrs["appointment_type"], attrs["practitioner"])
        if "reschedule" in attrs:
            self._check_own(attrs["appointment_type"], attrs["reschedule"])
        return attrs

    def _check_own(self, appointment_type: AppointmentType, pk: int) -> None:
        """The same answer for someone else's id as for no such id: it must not tell which."""
        user = getattr(self.context.get("request"), "user", None)
        own = Appointment.objects.none()
        if user is not None and user.is_authenticated:
            own = Appointment.objects.filter(
                selectors.live_appointments(timezone.now()),
                pk=pk,
                patient__user_id=user.pk,
                appointment_type=appointment_type,
            )
        if not own.exists():
            raise serializers.ValidationError(
                {"reschedule": [_("Give the id of one of your own booked or held appointments of this treatment.")]}
            )

    def _practitioner(self, appointment_type: AppointmentType, value: str) -> Practitioner | None:
        if value.strip().lower() in {"", "any"}:
            return None
        found = (
            selectors.practitioner_offering(appointment_type, int(value))
            if value.isascii() and value.isdigit() and len(value) < 19
            else None
        )
        if found is None:
            raise serializers.ValidationError(
                {"practitioner": [_("No practitioner with this id offers this treatment. Use an id or 'any'.")]}
            )
        return found


class SlotSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField(help_text="In the clinic's zone, with its offset.")
    end = serializers.DateTimeField(help_text="In the clinic's zone, with its offset.")
    practitioner = serializers.IntegerField(help_text="Id of the practitioner who is free then.")

    # booking.api.catalogue.SlotListApi writes the same dicts itself (a list has hundreds).
    def to_representation(self, instance: selectors.OfferedSlot) -> dict[str, Any]:
        zone = self.context["zone"]
        return {
            "start": instance.start.astimezone(zone).isoformat(),
            "end": instance.end.astimezone(zone).isoformat(),
            "practitioner": instance.practitioner_id,
        }


# --- Appointments ---------------------------------------------------------------------


class AppointmentCreateSerializer(serializers.Serializer[Any]):
    appointment_type = StrictActiveTreatmentField()
    practitioner = ActivePractitionerField(
        required=False, allow_null=True, help_text="Leave out or null for the first available practitioner."
    )
    start = AwareDateTimeField(help_text="A start offered by GET slots, with its offset.")


class RescheduleSerializer(serializers.Serializer[Any]):
    start = AwareDateTimeField(help_text="A start offered by GET slots, with its offset.")
    practitioner = ActivePractitionerField(
        required=False, allow_null=True, help_text="Leave out or null to keep the same practitioner."
    )


class CancelSerializer(serializers.Serializer[Any]):
    reason = StrictCharField(required=False, allow_blank=True, max_length=300, default="")


class AppointmentTypeBriefSerializer(InCallersLanguage, serializers.ModelSerializer[AppointmentType]):
    shown = (("name", "shown_name"),)

    class Meta:
        model = AppointmentType
        fields = ["id", "name", "involves_needling"]


class PractitionerBriefSerializer(serializers.ModelSerializer[Practitioner]):
    class Meta:
        model = Practitioner
        fields = ["id", "display_name"]


class ClinicBriefSerializer(serializers.ModelSerializer[Clinic]):
    class Meta:
        model = Clinic
        fields = ["id", "name", "phone", "address"]


def can_change(appointment: Appointment, now: datetime) -> bool:
    """Would the patient be allowed to cancel or move it online now? (as booking.services decides)"""
    if appointment.status not in Appointment.LIVE:
        return False
    if appointment.status == Appointment.Status.HELD:
        return True
    return appointment.start - now >= appointment.clinic.cancellation_window


class AppointmentSerializer(serializers.ModelSerializer[Appointment]):
    start = InClinicZoneField(help_text="In the clinic's zone (time_zone), with its offset.")
    end = InClinicZoneField(help_text="In the clinic's zone (time_zone), with its offset.")
    hold_expires_at = InClinicZoneField(
        allow_null=True, help_text="While held: when the hold runs out unless a consent or confirm follows."
    )
    appointment_type = AppointmentTypeBriefSerializer(read_only=True)
    practitioner = PractitionerBriefSerializer(read_only=True)
    clinic = ClinicBriefSerializer(read_only=True)
    can_cancel = serializers.SerializerMethodField(help_text="Whether cancelling online is allowed now.")
    can_reschedule = serializers.SerializerMethodField(help_text="Whether moving it online is allowed now.")

    class Meta:
        model = Appointment
        fields = [
            "id",
            "status",
            "start",
            "end",
            "time_zone",
            "version",
            "hold_expires_at",
            "appointment_type",
            "practitioner",
            "clinic",
            "can_cancel",
            "can_reschedule",
        ]
        read_only_fields = fields

    def _now(self) -> datetime:
        return self.context.get("now") or timezone.now()

    def get_can_cancel(self, appointment: Appointment) -> bool:
        return can_change(appointment, self._now())

    def get_can_reschedule(self, appointment: Appointment) -> bool:
        now = self._now()
        expired = appointment.hold_expires_at is not None and appointment.hold_expires_at <= now
        return can_change(appointment, now) and not expired
