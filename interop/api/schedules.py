"""Schedule: one practitioner offering one treatment at one clinic (`GET Schedule/<p>-<t>`,
`GET Schedule?_id=&actor=&service-type=&active=`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from booking.models import AppointmentType
from interop import ids, resources, selectors
from interop.api.base import FhirView
from interop.api.reads import caller, not_found, searchset
from interop.api.search import Params
from interop.models import Scope
from interop.selectors import ScheduleRow


def build(row: ScheduleRow) -> dict[str, Any]:
    return resources.schedule(row.practitioner, row.treatment, row.clinic)


def one_schedule(request: Request, value: str) -> ScheduleRow:
    """The schedule an id names, if the caller may see it; else a 404."""
    pair = ids.parse_schedule_id(value)
    if pair is None:
        raise not_found()
    types = selectors.schedules(caller(request), practitioner_ids=[pair[0]]).filter(pk=pair[1])
    rows = selectors.schedule_rows(types)
    if not rows:
        raise not_found()
    return rows[0]


class ScheduleRead(FhirView):
    interaction = "Schedule read"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request, pk: str) -> Response:
        return Response(build(one_schedule(request, pk)))


def narrowed(params: Params, types: QuerySet[AppointmentType]) -> QuerySet[AppointmentType]:
    if params.get("service-type") is not None:
        types = types.filter(pk__in=[i for i in params.service_types() if i is not None])
    return types


class ScheduleSearch(FhirView):
    interaction = "Schedule search"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request) -> Response:
        params = Params(request, ("_id", "actor", "service-type", "active"))
        practitioner_ids: list[int] | None = None
        types = selectors.treatments(caller(request))
        actor = params.reference("actor", ["Practitioner", "Location"])
        if actor is not None:
            number = int(actor[1]) if actor[1].isdigit() else 0
            if actor[0] == "Practitioner":
                practitioner_ids = [number]
            else:
                types = types.filter(clinic_id=number)
        wanted = set(params.ids("_id", lambda v: ids.parse_schedule_id(v)))
        if wanted:
            pairs = [pair for pair in wanted if pair is not None]
            types = types.filter(pk__in=[t for _p, t in pairs])
            practitioner_ids = [p for p, _t in pairs if practitioner_ids is None or p in practitioner_ids]
        found = selectors.schedules(caller(request), practitioner_ids=practitioner_ids)
        rows = selectors.schedule_rows(narrowed(params, found.filter(pk__in=types.values("pk"))))
        if wanted:
            rows = [r for r in rows if (r.practitioner.pk, r.treatment.pk) in wanted]
        if (active := params.boolean("active")) is not None:
            rows = [r for r in rows if (r.practitioner.active and r.treatment.active) == active]
        rows.sort(key=lambda r: (r.practitioner.pk, r.treatment.pk))
        return searchset(request, params, rows, build)
