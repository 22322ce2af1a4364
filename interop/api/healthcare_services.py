"""HealthcareService: a treatment a clinic offers (`GET HealthcareService/<id>`,
`GET HealthcareService?_id=&location=&service-type=&active=`)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from interop import resources, selectors
from interop.api.base import FhirView
from interop.api.reads import caller, not_found, pk_of, searchset
from interop.api.search import Params
from interop.models import Scope


class HealthcareServiceRead(FhirView):
    interaction = "HealthcareService read"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request, pk: str) -> Response:
        found = selectors.treatments(caller(request)).filter(pk=pk_of(pk)).first()
        if found is None:
            raise not_found()
        return Response(resources.healthcare_service(found))


class HealthcareServiceSearch(FhirView):
    interaction = "HealthcareService search"
    required_scope = Scope.SLOTS_READ

    def get(self, request: Request) -> Response:
        params = Params(request, ("_id", "location", "service-type", "active"))
        found = selectors.treatments(caller(request))
        if params.get("_id") is not None:
            found = found.filter(pk__in=[i for i in params.ids("_id") if i is not None])
        if params.get("service-type") is not None:
            found = found.filter(pk__in=[i for i in params.service_types() if i is not None])
        if (where := params.reference("location", ["Location"])) is not None:
            found = found.filter(clinic_id=int(where[1])) if where[1].isdigit() else found.none()
        if (active := params.boolean("active")) is not None:
            found = found.filter(active=active)
        return searchset(request, params, found, resources.healthcare_service, total=found.count())
