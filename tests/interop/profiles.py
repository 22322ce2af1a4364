"""Is a resource what we promise? fhir.resources' R4B model first, then what that package leaves
out: the code lists of FACTS.md section 8 and the elements the IHE Scheduling profiles require
(StructureDefinition-iti-sched-appt.xml: min=1 on start, end, participant, participant.actor,
requestedPeriod; R4 itself: status and participant.status; -bundle.xml: a searchset with total,
each entry's search.mode match or outcome)."""

from __future__ import annotations

from typing import Any

APPOINTMENT_STATUSES = {
    "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
    "entered-in-error", "checked-in", "waitlist",
}  # fmt: skip
SLOT_STATUSES = {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"}
PARTICIPANT_STATUSES = {"accepted", "declined", "tentative", "needs-action"}


def _model(kind: str) -> Any:
    module = __import__(f"fhir.resources.R4B.{kind.lower()}", fromlist=[kind])
    return getattr(module, kind)


def problems(resource: dict[str, Any]) -> list[str]:
    kind = resource["resourceType"]
    _model(kind).model_validate(resource)  # raises on anything R4B refuses
    check = _CHECKS.get(kind)
    return check(resource) if check else []


def _appointment(found: dict[str, Any]) -> list[str]:
    wrong = []
    if found.get("status") not in APPOINTMENT_STATUSES:
        wrong.append(f"Appointment.status {found.get('status')!r}")
    for name in ("start", "end"):
        if not found.get(name):
            wrong.append(f"Appointment.{name} is required (IHE)")
    if len(found.get("requestedPeriod") or []) != 1:
        wrong.append("Appointment.requestedPeriod must be exactly one (IHE)")
    participants = found.get("participant") or []
    if not participants:
        wrong.append("Appointment.participant is required")
    for each in participants:
        if not (each.get("actor") or {}).get("reference"):
            wrong.append("Appointment.participant.actor is required (IHE)")
        if each.get("status") not in PARTICIPANT_STATUSES:
            wrong.append(f"Appointment.participant.status {each.get('status')!r}")
    return wrong


def _slot(found: dict[str, Any]) -> list[str]:
    wrong = [] if found.get("status") in SLOT_STATUSES else [f"Slot.status {found.get('status')!r}"]
    return wrong + [f"Slot.{name} is required" for name in ("schedule", "start", "end") if not found.get(name)]


def _schedule(found: dict[str, Any]) -> list[str]:
    return [] if found.get("actor") else ["Schedule.actor is required"]


def _bundle(found: dict[str, Any]) -> list[str]:
    wrong = []
    if found.get("type") == "searchset":
        if "total" not in found:
            wrong.append("Bundle.total is required in a searchset (IHE)")
        for entry in found.get("entry", []):
            if (entry.get("search") or {}).get("mode") not in ("match", "outcome"):
                wrong.append("Bundle.entry.search.mode must be match or outcome (IHE)")
    for entry in found.get("entry", []):
        wrong.extend(problems(entry["resource"]))
    return wrong


_CHECKS = {"Appointment": _appointment, "Slot": _slot, "Schedule": _schedule, "Bundle": _bundle}
