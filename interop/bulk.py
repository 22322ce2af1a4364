"""SMART Scheduling Links: a clinic's Location, Schedule and Slot files as NDJSON text.

One file of each kind per clinic, not one for the whole site: a booking at one clinic then
rewrites only that clinic's Slot file (its cost bounded by the clinic's size, not the site's),
and each file's manifest entry carries that clinic's own state/jurisdiction, so a client
interested in one region fetches only its clinics' files.

The Slot file covers the clinic's booking horizon capped at HORIZON_CAP: aggregators poll every
few minutes and show near-term availability, while a 60-day horizon of 15-minute starts for 20
practitioners is tens of thousands of lines rewritten after every booking. Beyond the cap the
times page and the FHIR Slot search still answer.

Lines are built with interop.resources and not validated here (fhir.resources takes ~50 µs a
line: most of the 1 s budget for a large clinic); the tests validate every line."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse

from booking import selectors
from booking.models import AppointmentType, Clinic, Practitioner
from booking.views.common import TIME_PARAM, slot_code
from interop import resources
from interop.ids import SlotKey

HORIZON_CAP = timedelta(days=28)
# A file is served for up to this long before it is generated again (interop.services.publish),
# so it leaves out starts this close to the notice edge: a published free slot is bookable.
MARGIN = timedelta(minutes=5)
DEEP_LINK = "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link"
BOOKING_PHONE = "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone"
KINDS = ("Location", "Schedule", "Slot")


def _line(resource: dict[str, Any]) -> str:
    return json.dumps(resource, separators=(",", ":"), ensure_ascii=False)


def _ndjson(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def states(clinic: Clinic) -> list[str]:
    """The manifest's `state` hint: "US-FL" -> "FL"; a country-wide jurisdiction ("GB") as it is."""
    code = clinic.jurisdiction.strip().upper()
    return [code.split("-", 1)[1] if "-" in code else code] if code else []


def location(clinic: Clinic) -> dict[str, Any]:
    """resources.location plus what the SMART profile asks of a Location: a url contact point and
    an identifier."""
    found = resources.location(clinic)
    site = settings.SITE_URL + reverse("booking:treatments")
    found["telecom"] = [*found.get("telecom", []), {"system": "url", "value": site}]
    found["identifier"] = [{"system": site, "value": clinic.slug}]
    return found


def _offers(clinic: Clinic, types: list[AppointmentType]) -> tuple[dict[int, list[int]], dict[int, Practitioner]]:
    """Which active practitioners of the clinic offer each treatment (ids, ascending)."""
    through = Practitioner.appointment_types.through
    pairs = through.objects.filter(
        appointmenttype__in=types, practitioner__active=True, practitioner__clinics=clinic
    ).values_list("appointmenttype_id", "practitioner_id")
    offered: dict[int, list[int]] = defaultdict(list)
    for type_id, pid in sorted(set(pairs)):
        offered[type_id].append(pid)
    people = {p.pk: p for p in Practitioner.objects.filter(pk__in={pid for _, pid in pairs})}
    return offered, people


def clinic_files(clinic: Clinic, *, now: datetime) -> dict[str, str]:
    """The three files' bodies, keyed by kind. A fixed number of queries (about eight)."""
    types = list(AppointmentType.objects.filter(clinic=clinic, active=True).order_by("position", "name", "id"))
    offered, people = _offers(clinic, types)
    end = now + min(timedelta(days=clinic.max_advance_days), HORIZON_CAP)
    loaded = selectors.load_schedules(clinic=clinic, practitioner_ids=sorted(people), start=now, end=end, now=now)
    schedules: list[str] = []
    slots: list[str] = []
    phone = [{"url": BOOKING_PHONE, "valueString": clinic.phone}] if clinic.phone else []
    zone = clinic.zone
    for kind in types:
        times_page = settings.SITE_URL + reverse("booking:times", args=[kind.pk])
        for pid in offered.get(kind.pk, []):
            schedules.append(_line(resources.schedule(people[pid], kind, clinic, now=now)))
            free = selectors.slots_for_practitioner(
                appointment_type=kind, schedule=loaded[pid], start=now, end=end, now=now + MARGIN
            )
            for found in free:
                line = resources.slot(SlotKey(pid, kind.pk, found.start), found.end, clinic)
                day = found.start.astimezone(zone).date().isoformat()
                link = f"{times_page}?practitioner={pid}&day={day}&{TIME_PARAM}={slot_code(found.start)}"
                line["extension"] = [{"url": DEEP_LINK, "valueUrl": link}, *phone]
                slots.append(_line(line))
    return {
        "Location": _ndjson([_line(location(clinic))]),
        "Schedule": _ndjson(schedules),
        "Slot": _ndjson(slots),
    }
