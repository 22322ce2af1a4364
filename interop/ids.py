"""FHIR ids for things Acus does not store as rows of their own.

A Schedule is one practitioner offering one treatment at one clinic: "<practitioner>-<treatment>".
A Slot is a free start on it: "<practitioner>-<treatment>-<minutes since the epoch, UTC>".
A proposed Appointment (from $find) is the same triple signed with SECRET_KEY: "p<...>-<mac>",
so $hold and $book can take one back without Acus storing every proposal it ever made, and a
client cannot forge one for a time or practitioner it was not offered (the hold still checks
the time is free). Every id fits FHIR's [A-Za-z0-9\\-\\.]{1,64}."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SLOT = re.compile(r"^(\d{1,12})-(\d{1,12})-(\d{1,12})$")
_SCHEDULE = re.compile(r"^(\d{1,12})-(\d{1,12})$")
_PROPOSED = re.compile(r"^p(\d{1,12})-(\d{1,12})-(\d{1,12})-([0-9a-f]{20})$")


@dataclass(frozen=True)
class SlotKey:
    practitioner_id: int
    appointment_type_id: int
    start: datetime  # aware, UTC, on a whole minute


def _minutes(start: datetime) -> int:
    return int((start.astimezone(UTC) - _EPOCH).total_seconds() // 60)


def schedule_id(practitioner_id: int, appointment_type_id: int) -> str:
    return f"{practitioner_id}-{appointment_type_id}"


def parse_schedule_id(value: str) -> tuple[int, int] | None:
    found = _SCHEDULE.match(value)
    return (int(found[1]), int(found[2])) if found else None


def slot_id(key: SlotKey) -> str:
    return f"{key.practitioner_id}-{key.appointment_type_id}-{_minutes(key.start)}"


def parse_slot_id(value: str) -> SlotKey | None:
    found = _SLOT.match(value)
    if not found:
        return None
    return SlotKey(int(found[1]), int(found[2]), _EPOCH + timedelta(minutes=int(found[3])))


def _mac(body: str) -> str:
    key = hashlib.sha256(b"acus-fhir-proposal:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:20]


def proposed_id(key: SlotKey) -> str:
    body = f"{key.practitioner_id}-{key.appointment_type_id}-{_minutes(key.start)}"
    return f"p{body}-{_mac(body)}"


def parse_proposed_id(value: str) -> SlotKey | None:
    """The slot a proposal names, or None when it is malformed or not signed by this Acus."""
    found = _PROPOSED.match(value)
    if not found:
        return None
    body = f"{found[1]}-{found[2]}-{found[3]}"
    if not hmac.compare_digest(found[4], _mac(body)):
        return None
    return SlotKey(int(found[1]), int(found[2]), _EPOCH + timedelta(minutes=int(found[3])))
