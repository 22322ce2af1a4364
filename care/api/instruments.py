"""A clinic's outcome-measure instruments over REST (staff, OTP-verified sessions): list the
instruments of the clinics you work at or run (built-in ones included), and add one the clinic is
licensed to use. A definition that does not fit the format is a 400 on `definition` whose
message names the key to fix."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedStaff
from booking.api.base import BAD_BODY, signed_in_user, validated
from booking.models import Clinic
from care.api import score_serializers as s
from care.api.plans import STAFF_ONLY, STAFF_TAGS
from care.builtin_instruments import BUILT_IN
from care.errors import InvalidInput
from care.instruments import instrument_from_dict
from care.selectors.instruments import instruments_for
from care.services import instruments as services
from core.rest import field_errors

EXAMPLE = OpenApiExample(
    "A one-item scale",
    {
        "clinic": 1,
        "licence_confirmed": True,
        "definition": {
            "code": "stiffness",
            "name": "Morning stiffness",
            "items": [{"id": "item1", "kind": "numeric_scale", "low": 0, "high": 10}],
            "scoring": "single_item",
            "range": {"min": 0, "max": 10},
            "direction": "lower_is_better",
            "meaningful_change": [{"code": "own", "label": "Clinic's rule", "points": 2, "source": "Your source"}],
            "licence": "Our own scale",
        },
    },
    request_only=True,
)


class StaffInstrumentsApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_instruments_list",
        summary="Outcome measures of the clinics you work at or run",
        description="Per clinic: the built-in NPRS and PSFS, then the clinic's own active instruments.",
        tags=STAFF_TAGS,
        responses={200: s.ClinicInstrumentOut(many=True), **STAFF_ONLY},
    )
    def get(self, request: Request) -> Response:
        found: list[dict[str, Any]] = []
        for clinic in services.staff_clinics(signed_in_user(request)).order_by("pk"):
            found += [
                {**s.instrument_out(i, built_in=i.code in BUILT_IN), "clinic": clinic.pk}
                for i in instruments_for(clinic)
            ]
        return Response(found)

    @extend_schema(
        operation_id="staff_instruments_create",
        summary="Add an instrument the clinic is licensed to use",
        description=(
            "Acus ships no copyrighted item wording: load the scoring rules, and wording only where the clinic "
            "holds a licence for it. You confirm that licence; your account is kept with the instrument."
        ),
        tags=STAFF_TAGS,
        request=s.InstrumentIn,
        responses={201: s.ClinicInstrumentOut, **BAD_BODY, **STAFF_ONLY},
        examples=[EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.InstrumentIn, request.data)
        clinic = Clinic.objects.filter(pk=data["clinic"]).first()
        if clinic is None:
            raise field_errors({"clinic": [_("Unknown clinic.")]})
        try:
            row = services.add_instrument(
                clinic=clinic,
                definition=data["definition"],
                licence_confirmed=data["licence_confirmed"],
                actor=signed_in_user(request),
            )
        except InvalidInput as exc:
            raise field_errors(exc.fields) from None
        instrument = instrument_from_dict(row.definition)
        return Response({**s.instrument_out(instrument, built_in=False), "clinic": clinic.pk}, status=201)
