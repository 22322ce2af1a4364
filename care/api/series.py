"""Series booking over REST: the patient's own plans under care-plans/{id}/series, the staff's
(OTP-verified sessions, plans they may see) under staff/care-plans/{id}/series.

Thin: look the plan up (another patient's plan, or one a practitioner may not see, is a 404),
check the body, call care.services.series. A refusal is the API's one error shape: 409 for a
time taken meanwhile (`slot_unavailable`, naming the session; nothing was booked), a proposal
gone stale (`series_changed`), a session without a free time (`series_incomplete`), a plan not
open, the consent steps; ask for a new proposal and try again."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient, IsVerifiedStaff
from booking.api.base import (
    BAD_BODY,
    PATIENT_ONLY,
    booking_errors,
    error_response,
    signed_in_patient,
    signed_in_user,
    validated,
)
from care.api import series_serializers as s
from care.models import CarePlan
from care.selectors import plans as selectors
from care.services import series as services

PLAN_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The plan's id.")
STAFF_ONLY = {
    401: error_response("Not signed in"),
    403: error_response("Not a staff session verified with a one-time code"),
}
REFUSED = {
    409: error_response(
        "Nothing was booked: `slot_unavailable` (a session's time was taken meanwhile; the message names it), "
        "`series_changed` (the free times changed since the proposal), `series_incomplete`, `plan_not_open`, "
        "`nothing_to_book`, `health_question` or `consent_required`"
    )
}
NOT_OPEN = {409: error_response("`plan_not_open`: the plan is not proposed or active")}
EXAMPLE = [OpenApiExample("Tuesdays at two", {"weekday": 1, "time": "14:00"}, request_only=True)]


class _Series(APIView):
    permission_classes: list[type[BasePermission]] = [IsPatient]

    def plan(self, request: Request, pk: int) -> CarePlan:
        return selectors.patient_plan(signed_in_patient(request), pk)

    def plan_and_body(self, request: Request, pk: int) -> tuple[CarePlan, Any]:
        # The body is parsed first (a hostile one is refused as such), then the plan is looked
        # up: someone else's plan is a 404 whatever fields the body has; then the fields.
        body = request.data
        return self.plan(request, pk), body

    def propose(self, request: Request, pk: int) -> Response:
        plan, body = self.plan_and_body(request, pk)
        data = validated(s.ChoiceIn, body)
        with booking_errors():
            proposal = services.propose_series(plan, weekday=data["weekday"], time_of_day=data["time"])
        return Response(s.proposal_out(proposal, plan.clinic.zone))

    def book(self, request: Request, pk: int) -> Response:
        plan, body = self.plan_and_body(request, pk)
        data = validated(s.BookIn, body)
        with booking_errors():
            booked = services.book_series(
                plan,
                actor=signed_in_user(request),
                weekday=data["weekday"],
                time_of_day=data["time"],
                starts=data.get("starts"),
                health_unchanged=data["health_unchanged"],
            )
        return Response(s.booked_out(booked, plan.clinic.zone), status=status.HTTP_201_CREATED)


class PatientProposalApi(_Series):
    @extend_schema(
        operation_id="care_plans_series_proposal",
        summary="Propose a visit for each unbooked session of the plan",
        description=(
            "On the chosen weekday and time when free; else the nearest free time that day; else the nearest "
            "day within the plan's spacing (± 2 days, never two visits a day). Each moved visit says why. "
            "Nothing is held."
        ),
        tags=["care plans"],
        parameters=[PLAN_ID],
        request=s.ChoiceIn,
        responses={
            200: s.ProposalOut,
            **BAD_BODY,
            **PATIENT_ONLY,
            404: error_response("Not one of your plans"),
            **NOT_OPEN,
        },
        examples=EXAMPLE,
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.propose(request, pk)


class PatientBookApi(_Series):
    @extend_schema(
        operation_id="care_plans_series_book",
        summary="Book the proposed series, all or nothing",
        description=(
            "One transaction holds every visit (and confirms them, as consent allows); if one cannot be held, "
            "none is. Dry needling: see `consent` in the proposal."
        ),
        tags=["care plans"],
        parameters=[PLAN_ID],
        request=s.BookIn,
        responses={
            201: s.BookedOut,
            **BAD_BODY,
            **PATIENT_ONLY,
            404: error_response("Not one of your plans"),
            **REFUSED,
        },
        examples=EXAMPLE,
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.book(request, pk)


class _StaffSeries(_Series):
    permission_classes = [IsVerifiedStaff]

    def plan(self, request: Request, pk: int) -> CarePlan:
        return selectors.staff_plan(signed_in_user(request), pk)


class StaffProposalApi(_StaffSeries):
    @extend_schema(
        operation_id="staff_care_plans_series_proposal",
        summary="Propose the rest of a patient's course",
        description="As the patient's proposal, for a plan you may see.",
        tags=["staff"],
        parameters=[PLAN_ID],
        request=s.ChoiceIn,
        responses={
            200: s.ProposalOut,
            **BAD_BODY,
            **STAFF_ONLY,
            404: error_response("Not a plan you may see"),
            **NOT_OPEN,
        },
        examples=EXAMPLE,
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.propose(request, pk)


class StaffBookApi(_StaffSeries):
    @extend_schema(
        operation_id="staff_care_plans_series_book",
        summary="Book the rest of a patient's course, all or nothing",
        description=(
            "As the patient's booking. Dry needling without a consent covering the course is refused "
            "(`consent_required`): the patient books their first visit and signs."
        ),
        tags=["staff"],
        parameters=[PLAN_ID],
        request=s.BookIn,
        responses={
            201: s.BookedOut,
            **BAD_BODY,
            **STAFF_ONLY,
            404: error_response("Not a plan you may see"),
            **REFUSED,
        },
        examples=EXAMPLE,
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.book(request, pk)
