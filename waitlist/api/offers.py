"""API: a waitlist offer, read and claimed by the patient it was made to (the link's secret is
the path's token). Another patient's token, or an unknown one, is a 404."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from booking.api.base import PATIENT_ONLY, booking_errors, error_response, signed_in_patient
from waitlist.api import offer_serializers as s
from waitlist.services import offers

TOKEN = OpenApiParameter("token", str, OpenApiParameter.PATH, description="The secret from the offer's link.")
NOT_YOURS = {404: error_response("No such offer among the patient's own")}
TAGS = ["waitlist"]


class OfferDetailApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="waitlist_offers_read",
        summary="A waitlist offer made to the patient (opening it is recorded)",
        parameters=[TOKEN],
        responses={200: s.OfferSerializer, **PATIENT_ONLY, **NOT_YOURS},
        tags=TAGS,
    )
    def get(self, request: Request, token: str) -> Response:
        offer = offers.offer_for(token, patient=signed_in_patient(request))
        offers.mark_opened(offer)
        return Response(s.OfferSerializer(offer).data)


class OfferClaimApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="waitlist_offers_claim",
        summary="Claim the offered time: a held appointment to book as usual",
        description="409 offer_taken (someone claimed it first: the patient stays on the waitlist), "
        "offer_expired, or offer_used (this link was already used).",
        parameters=[TOKEN],
        request=None,
        responses={201: s.ClaimedSerializer, **PATIENT_ONLY, **NOT_YOURS, 409: error_response("Taken or expired")},
        tags=TAGS,
    )
    def post(self, request: Request, token: str) -> Response:
        with booking_errors():
            visit = offers.claim(token, patient=signed_in_patient(request), now=timezone.now())
        body = {"appointment": visit.pk, "status": visit.status, "hold_expires_at": visit.hold_expires_at}
        return Response(s.ClaimedSerializer(body).data, status=201)


urlpatterns: list[URLPattern] = [
    path("waitlist/offers/<str:token>", OfferDetailApi.as_view(), name="api-waitlist-offer"),
    path("waitlist/offers/<str:token>/claim", OfferClaimApi.as_view(), name="api-waitlist-offer-claim"),
]
