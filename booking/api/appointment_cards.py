"""The patient's appointments as AppointmentSerializer writes them, from plain rows.

GET /api/v1/appointments is read on most visits and answers every appointment the patient
ever had: through the serializer it built four model instances and four nested serializers'
fields per row, more CPU than any other read of the API (bench/README, "Issue 22"). These
cards are the same JSON (tests/booking/appointments_api compares them with the serializer's
in three languages and every status) from one precompiled query.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.models import Appointment
from booking.models.wording import in_language
from core.precompiled import Precompiled

_COLUMNS = (
    "id",
    "status",
    "start",
    "end",
    "time_zone",
    "version",
    "hold_expires_at",
    "appointment_type_id",
    "appointment_type__name",
    "appointment_type__translations",
    "appointment_type__involves_needling",
    "practitioner_id",
    "practitioner__display_name",
    "clinic_id",
    "clinic__name",
    "clinic__phone",
    "clinic__address",
    "clinic__cancellation_window_hours",
)
_OWN = Precompiled(lambda patient_id: Appointment.objects.filter(patient_id=patient_id).values_list(*_COLUMNS), int)
_LIVE = frozenset(Appointment.LIVE)


def appointment_cards(patient_id: int, now: datetime) -> list[dict[str, Any]]:
    """All the patient's appointments: upcoming ones by start, then past ones, latest first
    (as the API documents), each as AppointmentSerializer(context={"now": now}) writes it."""
    rows = _OWN(patient_id)
    upcoming = sorted((row for row in rows if row[3] >= now), key=lambda row: (row[2], row[0]))
    past = sorted((row for row in rows if row[3] < now), key=lambda row: (row[2], row[0]), reverse=True)
    return [_card(row, now) for row in (*upcoming, *past)]


def _card(row: tuple[Any, ...], now: datetime) -> dict[str, Any]:
    (
        pk,
        status,
        start,
        end,
        time_zone,
        version,
        expires,
        type_id,
        type_name,
        type_translations,
        needling,
        practitioner_id,
        practitioner_name,
        clinic_id,
        clinic_name,
        clinic_phone,
        clinic_address,
        window_hours,
    ) = row
    zone = ZoneInfo(time_zone)
    # booking.api.serializers.can_change, from the row
    if status not in _LIVE:
        can_change = False
    elif status == Appointment.Status.HELD:
        can_change = True
    else:
        can_change = start - now >= timedelta(hours=window_hours)
    expired = expires is not None and expires <= now
    return {
        "id": pk,
        "status": status,
        "start": start.astimezone(zone).isoformat(),
        "end": end.astimezone(zone).isoformat(),
        "time_zone": time_zone,
        "version": version,
        "hold_expires_at": None if expires is None else expires.astimezone(zone).isoformat(),
        "appointment_type": {
            "id": type_id,
            "name": in_language(type_translations, "name", type_name),
            "involves_needling": needling,
        },
        "practitioner": {"id": practitioner_id, "display_name": practitioner_name},
        "clinic": {"id": clinic_id, "name": clinic_name, "phone": clinic_phone, "address": clinic_address},
        "can_cancel": can_change,
        "can_reschedule": can_change and not expired,
    }


def appointment_card(appointment: Appointment, now: datetime) -> dict[str, Any]:
    """One appointment (its treatment, practitioner and clinic loaded or loadable) as
    AppointmentSerializer writes it."""
    kind, clinic = appointment.appointment_type, appointment.clinic
    row = (
        appointment.pk,
        appointment.status,
        appointment.start,
        appointment.end,
        appointment.time_zone,
        appointment.version,
        appointment.hold_expires_at,
        kind.pk,
        kind.name,
        kind.translations,
        kind.involves_needling,
        appointment.practitioner_id,
        appointment.practitioner.display_name,
        clinic.pk,
        clinic.name,
        clinic.phone,
        clinic.address,
        clinic.cancellation_window_hours,
    )
    return _card(row, now)
