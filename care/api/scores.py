"""Outcome scores of a plan of care over REST. Patients: what is due now with the instruments
to answer it, their scores, and a new score. Staff (OTP-verified sessions): a plan's scores, and
a score the patient gives in clinic, recorded by the practitioner.

Thin: the plan through care.selectors.plans (a 404 for one the caller may not see), the body
checked, care.services.scores.record_score called. Bad answers are 400 field errors named
`answers.<item>`; a second baseline or a score the plan cannot take now is a 409."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsPatient, IsVerifiedStaff
from booking.api.base import BAD_BODY, PATIENT_ONLY, error_response, signed_in_patient, signed_in_user, validated
from booking.models import Appointment
from care.api import score_serializers as s
from care.api.plans import NOT_OWN, NOT_YOURS, PATIENT_TAGS, PLAN_ID, STAFF_ONLY, STAFF_TAGS
from care.builtin_instruments import BUILT_IN
from care.errors import InvalidInput
from care.models import CarePlan, CourseVisit
from care.selectors import plans as plan_selectors
from care.selectors import scores as selectors
from care.services import scores as services
from core.rest import ApiError, field_errors

CONFLICT = {
    409: error_response(
        "`baseline_exists`, `discharge_exists`, `visit_scored`, `no_baseline` (a baseline comes first) or "
        "`plan_not_open` (the plan's status takes no score of this kind)"
    )
}
EXAMPLES = [
    OpenApiExample("Pain at baseline", {"instrument": "nprs", "timepoint": "baseline", "answers": {"pain": 6}}),
    OpenApiExample(
        "PSFS after a visit",
        {
            "instrument": "psfs",
            "timepoint": "visit",
            "appointment": 42,
            "answers": {"Turn my head when driving": 5, "Sleep through the night": 6, "Work at my desk": 4},
        },
    ),
]


@contextmanager
def score_errors() -> Iterator[None]:
    try:
        yield
    except InvalidInput as exc:
        raise field_errors(exc.fields) from None
    except services.ScoreConflict as exc:
        raise ApiError(exc.code, exc.message, status_code=exc.status) from None


def _appointment(plan: CarePlan, pk: int | None) -> Appointment | None:
    if pk is None:
        return None
    visit = CourseVisit.objects.filter(plan=plan, appointment_id=pk).select_related("appointment").first()
    if visit is None:
        raise field_errors({"appointment": [_("This visit is not part of this course of care.")]})
    return visit.appointment


def _record(plan: CarePlan, data: dict[str, Any], actor: User) -> Response:
    appointment = _appointment(plan, data["appointment"])
    with score_errors():
        row = services.record_score(
            plan,
            instrument=data["instrument"],
            timepoint=data["timepoint"],
            answers=data["answers"],
            actor=actor,
            appointment=appointment,
        )
    return Response(s.score_out(row, plan), status=status.HTTP_201_CREATED)


def _scores(plan: CarePlan) -> Response:
    return Response([s.score_out(row, plan) for row in selectors.plan_scores(plan)])


class PatientMeasuresApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_measures",
        summary="Outcome measures due now, with the instruments to answer them",
        description=(
            "Due: a baseline for each measure without one; a visit score for a course visit in the last 3 days; "
            "a discharge score once the plan is completed. Words are in the caller's language; a clinic's own "
            "instrument keeps the clinic's words."
        ),
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        responses={200: s.MeasuresOut, **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = plan_selectors.patient_plan(signed_in_patient(request), pk)
        due = selectors.due_measures(plan, timezone.now())
        instruments = [
            s.instrument_out(i, built_in=i.code in BUILT_IN, plan=plan) for i in selectors.plan_instruments(plan)
        ]
        return Response({"due": [s.due_out(d) for d in due], "instruments": instruments})


class PatientScoresApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_scores_list",
        summary="The patient's outcome scores for a plan",
        description="Oldest first per measure, each with its baseline, change and meaningful-change flag.",
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        responses={200: s.ScoreOut(many=True), **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _scores(plan_selectors.patient_plan(signed_in_patient(request), pk))

    @extend_schema(
        operation_id="care_plans_scores_create",
        summary="Answer an outcome measure",
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        request=s.ScoreIn,
        responses={201: s.ScoreOut, **BAD_BODY, **PATIENT_ONLY, **NOT_OWN, **CONFLICT},
        examples=EXAMPLES,
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = plan_selectors.patient_plan(signed_in_patient(request), pk)
        return _record(plan, validated(s.ScoreIn, request.data), signed_in_user(request))


class StaffScoresApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_scores_list",
        summary="A plan's outcome scores",
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        responses={200: s.ScoreOut(many=True), **STAFF_ONLY, **NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _scores(plan_selectors.staff_plan(signed_in_user(request), pk))

    @extend_schema(
        operation_id="staff_care_plans_scores_create",
        summary="Record a score the patient gives in clinic",
        description="The answers are the patient's; the practitioner who records them is kept as `answered_by`.",
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        request=s.ScoreIn,
        responses={201: s.ScoreOut, **BAD_BODY, **STAFF_ONLY, **NOT_YOURS, **CONFLICT},
        examples=EXAMPLES,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.ScoreIn, request.data)
        user = signed_in_user(request)
        return _record(plan_selectors.staff_plan(user, pk), data, user)
