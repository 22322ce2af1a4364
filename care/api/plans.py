"""Plans of care over REST. Staff (OTP-verified sessions): propose a plan, list and read the
plans they may see (care.selectors.plans), move a plan's status. Patients: their own plans.

Thin: look the plan up (a 404 for one the caller may not see), check the body, call
care.services.plans, answer with the plan. Refusals are 400 field errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Patient
from accounts.permissions import IsPatient, IsVerifiedStaff
from booking.api.base import (
    BAD_BODY,
    BAD_INPUT,
    PATIENT_ONLY,
    error_response,
    signed_in_patient,
    signed_in_user,
    validated,
)
from booking.models import AppointmentType, Clinic
from care.api import plan_serializers as s
from care.errors import InvalidInput, NotAPractitioner
from care.selectors import plans as selectors
from care.services import plans as services
from core.rest import ApiError, field_errors

PLAN_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The plan's id.")
STAFF_ONLY = {
    401: error_response("Not signed in"),
    403: error_response("Not a staff session verified with a one-time code"),
}
STAFF_TAGS = ["staff"]
PATIENT_TAGS = ["care plans"]
NOT_YOURS = {404: error_response("Not a plan you may see")}
NOT_OWN = {404: error_response("No such plan among the patient's own")}

EXAMPLES = [
    OpenApiExample(
        "Neck pain, four sessions a week apart",
        {
            "patient": 7,
            "clinic": 1,
            "appointment_type": 3,
            "problem": "Neck pain after long days at the desk",
            "body_region": "neck",
            "goals": ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"],
            "sessions_planned": 4,
            "spacing_days": 7,
            "measures": ["nprs", "psfs"],
            "review_on": "2026-07-01",
        },
        request_only=True,
    ),
]


@contextmanager
def plan_errors() -> Iterator[None]:
    try:
        yield
    except InvalidInput as exc:
        raise field_errors(exc.fields) from None
    except NotAPractitioner as exc:
        raise ApiError(exc.code, exc.message, status_code=exc.status) from None


def _refs(data: dict[str, Any]) -> tuple[Patient, Clinic, AppointmentType]:
    """The patient, clinic and treatment the body names; an unknown one is a field error."""
    patient = Patient.objects.filter(pk=data["patient"]).first()
    clinic = Clinic.objects.filter(pk=data["clinic"]).first()
    kind = AppointmentType.objects.filter(pk=data["appointment_type"]).first()
    fields = {
        name: [message]
        for name, found, message in (
            ("patient", patient, _("No such patient at this clinic.")),
            ("clinic", clinic, _("Unknown clinic.")),
            ("appointment_type", kind, _("Unknown treatment.")),
        )
        if found is None
    }
    if fields:
        raise field_errors(fields)
    assert patient is not None and clinic is not None and kind is not None
    return patient, clinic, kind


class StaffPlanListApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_list",
        summary="Plans of care you may see",
        description="A practitioner's own plans, and every plan at the clinics a clinic admin runs; newest first.",
        tags=STAFF_TAGS,
        parameters=[s.StaffPlanQuery],
        responses={200: s.StaffPlanOut(many=True), **BAD_INPUT, **STAFF_ONLY},
    )
    def get(self, request: Request) -> Response:
        query = validated(s.StaffPlanQuery, request.query_params)
        found = selectors.staff_plans(signed_in_user(request)).select_related("created_by")
        if "patient" in query:
            found = found.filter(patient_id=query["patient"])
        if "status" in query:
            found = found.filter(status=query["status"])
        return Response([s.staff_plan_out(plan) for plan in found])

    @extend_schema(
        operation_id="staff_care_plans_create",
        summary="Propose a plan of care",
        description=(
            "By the signed-in practitioner, for a patient seen at the clinic. The plan starts as `proposed`. "
            "With PSFS among the measures, the goals are its 3 to 5 activities."
        ),
        tags=STAFF_TAGS,
        request=s.PlanIn,
        responses={
            201: s.StaffPlanDetailOut,
            **BAD_BODY,
            401: STAFF_ONLY[401],
            403: error_response("Not a verified staff session, or `not_a_practitioner`"),
        },
        examples=EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = validated(s.PlanIn, request.data)
        patient, clinic, kind = _refs(data)
        plan_input = services.PlanInput(
            problem=data["problem"],
            body_region=data["body_region"],
            goals=data["goals"],
            sessions_planned=data["sessions_planned"],
            spacing_days=data["spacing_days"],
            measures=data["measures"],
            review_on=data["review_on"],
        )
        with plan_errors():
            plan = services.create_plan(
                practitioner_user=signed_in_user(request),
                patient=patient,
                clinic=clinic,
                appointment_type=kind,
                data=plan_input,
            )
        plan = selectors.staff_plan(signed_in_user(request), plan.pk)
        return Response(s.staff_plan_detail_out(plan), status=status.HTTP_201_CREATED)


class StaffPlanDetailApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_read",
        summary="A plan of care with its status history",
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        responses={200: s.StaffPlanDetailOut, **STAFF_ONLY, **NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.staff_plan_detail_out(selectors.staff_plan(signed_in_user(request), pk)))


class StaffPlanStatusApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_status",
        summary="Move a plan to another status",
        description=(
            "proposed → active or stopped; active → on_hold, completed or stopped; on_hold → active or stopped. "
            "Completed and stopped are final. Each move is kept with who made it and when."
        ),
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        request=s.StatusIn,
        responses={200: s.StaffPlanDetailOut, **BAD_BODY, **STAFF_ONLY, **NOT_YOURS},
    )
    def post(self, request: Request, pk: int) -> Response:
        # The body first, as the staff's appointment actions do: a bad body is a 400 for any id.
        data = validated(s.StatusIn, request.data)
        user = signed_in_user(request)
        plan = selectors.staff_plan(user, pk)
        with plan_errors():
            services.change_status(plan=plan, to=data["to"], by=user, note=data["note"])
        return Response(s.staff_plan_detail_out(selectors.staff_plan(user, pk)))


class PatientPlanListApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_list",
        summary="The patient's plans of care",
        description="Newest first, every status.",
        tags=PATIENT_TAGS,
        responses={200: s.PatientPlanOut(many=True), **PATIENT_ONLY},
    )
    def get(self, request: Request) -> Response:
        plans = selectors.patient_plans(signed_in_patient(request))
        return Response([s.patient_plan_out(plan) for plan in plans])


class PatientPlanDetailApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_read",
        summary="One of the patient's plans of care",
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        responses={200: s.PatientPlanOut, **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.patient_plan_out(selectors.patient_plan(signed_in_patient(request), pk)))
