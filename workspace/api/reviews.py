"""Screenings waiting for a practitioner, and the decision on one: approve, which confirms
the visit, or decline, which frees the slot and tells the patient why."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedStaff
from booking import consent_flow
from booking.api.base import APPOINTMENT_ID, BAD_BODY, error_response, signed_in_user, validated
from booking.api.consents import CONFLICT, consent_errors
from workspace.api import serializers as s
from workspace.api.appointments import summary
from workspace.api.base import NOT_YOURS, STAFF_ONLY, TAGS
from workspace.selectors import reviews, visibility


class StaffReviewQueueApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_reviews_list",
        summary="Screenings waiting for review, oldest first",
        tags=TAGS,
        responses={200: s.StaffAppointmentOut(many=True), **STAFF_ONLY},
    )
    def get(self, request: Request) -> Response:
        waiting = reviews.review_queue(signed_in_user(request))
        return Response(s.StaffAppointmentOut([summary(e) for e in waiting], many=True).data)


class StaffReviewApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_appointments_review",
        tags=TAGS,
        parameters=[APPOINTMENT_ID],
        request=s.ReviewIn,
        # Its own 403 wording and 409 text, as published before the staff API had a base.
        responses={
            200: s.ReviewOut,
            **BAD_BODY,
            401: error_response("Not signed in"),
            403: error_response("Not OTP-verified staff"),
            **NOT_YOURS,
            **CONFLICT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.ReviewIn, request.data)
        appointment = visibility.visible_appointment(signed_in_user(request), pk)
        with consent_errors():
            appointment = consent_flow.decide_review(
                appointment,
                reviewer=signed_in_user(request),
                approve=data["decision"] == "approve",
                note=data["note"],
            )
        return Response({"decision": data["decision"], "note": data["note"], "status": appointment.status})
