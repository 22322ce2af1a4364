"""The health question before a later visit of a course, over REST.

Patient: GET /api/v1/appointments/{id}/health-change (is it asked now, since when, the health
questions to answer on a yes, and the answer once given) and POST (changed, and on a yes the
answers). Staff (OTP-verified): GET /api/v1/staff/appointments/{id}/health-change for a visit of a
plan they may see (care.selectors.plans). Thin: care.services.health decides."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient, IsVerifiedStaff
from booking import consent_documents
from booking.api.appointments import own_appointment
from booking.api.base import (
    APPOINTMENT_ID,
    BAD_BODY,
    NOT_FOUND,
    PATIENT_ONLY,
    booking_errors,
    error_response,
    signed_in_patient,
    signed_in_user,
    validated,
)
from booking.models import Appointment
from care.errors import InvalidInput
from care.models import HealthChangeAnswer
from care.selectors import health as selectors
from care.selectors.plans import staff_plans
from care.services import health as services
from core.rest import ApiError, StrictBooleanField, StrictCharField, field_errors

TAGS = ["care plans"]
STAFF_ONLY = {
    401: error_response("Not signed in"),
    403: error_response("Not a staff session verified with a one-time code"),
}


class OptionOut(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the questionnaire's own key


class QuestionOut(serializers.Serializer[Any]):
    id = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    type = serializers.ChoiceField(choices=["yes_no", "choice", "text"])
    required = serializers.BooleanField()  # type: ignore[assignment]  # the questionnaire's own key
    options = OptionOut(many=True)


class AnswerOut(serializers.Serializer[Any]):
    since = serializers.DateField()
    changed = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=HealthChangeAnswer.Outcome.choices)
    screening = serializers.IntegerField(allow_null=True, help_text="The new screening's id, on a yes.")
    answered_at = serializers.DateTimeField()


class HealthChangeOut(serializers.Serializer[Any]):
    appointment = serializers.IntegerField()
    asked = serializers.BooleanField(help_text="True while the question may be answered for this visit.")
    not_asked_because = serializers.CharField(allow_null=True, help_text="Why not, when `asked` is false.")
    since = serializers.DateField(help_text="The day of the last screening, in the clinic's zone.")
    questions = QuestionOut(many=True, help_text="The health questions to answer on a yes (empty once answered).")
    answer = AnswerOut(allow_null=True)


class HealthChangeIn(serializers.Serializer[Any]):
    changed = StrictBooleanField()
    answers = serializers.DictField(
        child=StrictCharField(max_length=1000, allow_blank=True),
        required=False,
        help_text="On a yes: the health questions' answers by question id (a choice's value, or words).",
    )


def _answer_out(answer: HealthChangeAnswer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "since": answer.since,
        "changed": answer.changed,
        "outcome": answer.outcome,
        "screening": answer.screening_id,
        "answered_at": answer.answered_at,
    }


def _questions(appointment: Appointment) -> list[dict[str, Any]]:
    offered = consent_documents.offered_questionnaire(appointment.patient, appointment.clinic)
    if offered is None:
        return []
    return [
        {
            "id": item["id"],
            "text": item["text"],
            "help": item.get("help", ""),
            "type": item["type"],
            "required": bool(item.get("required", True)),
            "options": [{"value": o["value"], "label": o["label"]} for o in item.get("options", [])],
        }
        for item in offered.shown.items
    ]


def _out(appointment: Appointment) -> dict[str, Any]:
    question = selectors.health_question(appointment.patient, appointment)
    if question.visit is None and question.answer is None:
        raise ApiError(
            selectors.NotALaterCourseVisit.code,
            question.refusal.message if question.refusal else "",
            status_code=selectors.NotALaterCourseVisit.status,
        )
    return {
        "appointment": appointment.pk,
        "asked": question.asked,
        "not_asked_because": question.refusal.message if question.refusal else None,
        "since": question.since,
        "questions": _questions(appointment) if question.asked else [],
        "answer": _answer_out(question.answer),
    }


NOT_A_LATER_VISIT = "`not_a_later_course_visit`: not a later needling visit of a course"
EXAMPLES = [
    OpenApiExample("Nothing changed", {"changed": False}, request_only=True),
    OpenApiExample(
        "Something changed", {"changed": True, "answers": {"needle_fear": "no", "diabetes": "yes"}}, request_only=True
    ),
]


class HealthChangeApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="appointments_health_change_read",
        summary="Has anything changed in your health? (a later course visit)",
        description=(
            "Asked before each later needling visit of a course, from three days before it until it starts, "
            "once. `since` is the day of the patient's last screening at the clinic."
        ),
        parameters=[APPOINTMENT_ID],
        responses={200: HealthChangeOut, **PATIENT_ONLY, **NOT_FOUND, 409: error_response(NOT_A_LATER_VISIT)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(HealthChangeOut(_out(own_appointment(request, pk))).data)

    @extend_schema(
        operation_id="appointments_health_change_answer",
        summary="Answer the health question before a later course visit",
        description=(
            "`changed: false` keeps the visit as it is. `changed: true` with `answers` runs the clinic's "
            "screening again: clear keeps the visit; review ends the consent and sends this and the course's "
            "later visits to the practitioner's review (the patient signs again); block cancels this and the "
            "course's later needling visits and puts the plan on hold. One answer per visit."
        ),
        parameters=[APPOINTMENT_ID],
        request=HealthChangeIn,
        responses={
            201: HealthChangeOut,
            **BAD_BODY,
            **PATIENT_ONLY,
            **NOT_FOUND,
            409: error_response(
                f"{NOT_A_LATER_VISIT}; `health_change_not_open` or `invalid_status`: not open now; "
                "`health_change_answered`: answered already; `not_ready`: the clinic has published no health questions"
            ),
        },
        examples=EXAMPLES,
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = own_appointment(request, pk)
        data = validated(HealthChangeIn, request.data)
        with booking_errors():
            try:
                services.answer_health_change(
                    signed_in_patient(request),
                    appointment_id=appointment.pk,
                    changed=data["changed"],
                    answers=data.get("answers"),
                )
            except InvalidInput as exc:
                raise field_errors(exc.fields) from None
        return Response(HealthChangeOut(_out(appointment)).data, status=status.HTTP_201_CREATED)


class StaffHealthChangeApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_appointments_health_change",
        summary="The patient's health answer before a later course visit",
        parameters=[APPOINTMENT_ID],
        responses={
            200: AnswerOut,
            **STAFF_ONLY,
            404: error_response("Not a visit of a plan you may see, or not answered yet"),
        },
        tags=["staff"],
    )
    def get(self, request: Request, pk: int) -> Response:
        answer = (
            HealthChangeAnswer.objects.filter(appointment_id=pk, plan__in=staff_plans(signed_in_user(request)))
            .select_related("screening")
            .first()
        )
        if answer is None:
            raise Http404("No health answer for a visit of a plan you may see")
        return Response(AnswerOut(_answer_out(answer)).data)
