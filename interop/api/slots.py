"""Slot: a free start on a schedule, from the same engine as the web pages (`GET Slot/<id>`,
`GET Slot?schedule=&start=ge..&start=lt..&status=free&service-type=`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from interop import ids, resources, selectors
from interop.api.base import FhirView
from interop.api.reads import caller, not_found, searchset
from interop.api.schedules import one_schedule
from interop.api.search import Params, bad
from interop.models import Scope

# Without an upper bound a search looks this far ahead; no search looks further than the longest
# horizon a clinic may set, so one call cannot ask the engine for years of slots.
DEFAULT_SPAN = timedelta(days=14)
MAX_SPAN = timedelta(days=120)
STATUSES = {"free", "busy", "busy-unavailable", "busy-tentative", "entered-in-error"}


def build(found: tuple[ids.SlotKey, Any, Any]) -> dict[str, Any]:
    key, end, treatment = found
    return resources.slot(key, end, treatment.clinic, service=treatment)


class SlotRead(FhirView):
    interaction = "Slot read"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request, pk: str) -> Response:
        key = ids.parse_slot_id(pk)
        if key is None:
            raise not_found()
        row = one_schedule(request, ids.schedule_id(key.practitioner_id, key.appointment_type_id))
        end = selectors.slot_is_free(row, key.start, now=timezone.now())
        if end is None:
            raise not_found()  # taken, past, or never offered: it is not a slot any more
        return Response(build((key, end, row.treatment)))


class SlotSearch(FhirView):
    interaction = "Slot search"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request) -> Response:
        params = Params(request, ("schedule", "start", "status", "service-type"), repeatable=("start",))
        who = caller(request)
        statuses = set(params.ids("status", str))
        if statuses - STATUSES:
            raise bad("status", _("This is not a slot status."))
        schedule = params.reference("schedule", ["Schedule"])
        if who.key is None and schedule is None and params.get("service-type") is None:
            # A patient's search names one clinic's schedule or treatment: the engine runs per clinic.
            raise bad("schedule", _("Name a schedule or a service-type."))
        now = timezone.now()
        wanted = params.dates("start")
        start = max(wanted.lower or now, now)
        end = wanted.upper or start + DEFAULT_SPAN
        if end - start > MAX_SPAN:
            raise bad("start", _("Search at most 120 days at once."))
        rows = self._rows(request, params, schedule)
        found = (
            []
            if (statuses and "free" not in statuses) or end <= start
            else selectors.free_slots(rows, start=start, end=end, now=now)
        )
        return searchset(request, params, [s for s in found if wanted.holds(s[0].start)], build)

    def _rows(self, request: Request, params: Params, schedule: tuple[str, str] | None) -> list[selectors.ScheduleRow]:
        practitioner_ids = None
        types = selectors.treatments(caller(request))
        pair = ids.parse_schedule_id(schedule[1]) if schedule else None
        if schedule is not None:
            if pair is None:
                return []
            practitioner_ids = [pair[0]]
            types = types.filter(pk=pair[1])
        if params.get("service-type") is not None:
            types = types.filter(pk__in=[i for i in params.service_types() if i is not None])
        found = selectors.schedules(caller(request), practitioner_ids=practitioner_ids).filter(
            pk__in=types.values("pk")
        )
        return selectors.schedule_rows(found)
