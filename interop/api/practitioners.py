"""Practitioner (`GET Practitioner/<id>`, `GET Practitioner?_id=&name=`)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from interop import resources, selectors
from interop.api.base import FhirView
from interop.api.reads import caller, not_found, pk_of, searchset
from interop.api.search import Params
from interop.models import Scope


class PractitionerRead(FhirView):
    interaction = "Practitioner read"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request, pk: str) -> Response:
        found = selectors.practitioners(caller(request)).filter(pk=pk_of(pk)).first()
        if found is None:
            raise not_found()
        return Response(resources.practitioner(found))


class PractitionerSearch(FhirView):
    interaction = "Practitioner search"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request) -> Response:
        params = Params(request, ("_id", "name", "active"))
        found = selectors.practitioners(caller(request))
        if params.get("_id") is not None:
            found = found.filter(pk__in=[i for i in params.ids("_id") if i is not None])
        if (name := params.get("name")) is not None:
            found = found.filter(display_name__icontains=name)
        if (active := params.boolean("active")) is not None:
            found = found.filter(active=active)
        return searchset(request, params, found, resources.practitioner, total=found.count())
