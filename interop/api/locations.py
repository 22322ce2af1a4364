"""Location: a clinic (`GET Location/<id>`, `GET Location?_id=&name=`)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from interop import resources, selectors
from interop.api.base import FhirView
from interop.api.reads import caller, not_found, pk_of, searchset
from interop.api.search import Params
from interop.models import Scope


class LocationRead(FhirView):
    interaction = "Location read"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request, pk: str) -> Response:
        found = selectors.clinics(caller(request)).filter(pk=pk_of(pk)).first()
        if found is None:
            raise not_found()
        return Response(resources.location(found))


class LocationSearch(FhirView):
    interaction = "Location search"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request) -> Response:
        params = Params(request, ("_id", "name"))
        found = selectors.clinics(caller(request)).order_by("id")
        if params.get("_id") is not None:
            found = found.filter(pk__in=[i for i in params.ids("_id") if i is not None])
        if (name := params.get("name")) is not None:
            found = found.filter(name__icontains=name)
        return searchset(request, params, found, resources.location, total=found.count())
