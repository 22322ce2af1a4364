"""POST /api/v1/appointments/{id}/symptoms: the patient's check-in after a session.

Thin: the appointment must be the patient's own (else 404), the body is checked
(pain 0-10, side effects from the list, else 400 with field errors), and
care.symptoms records it. A red flag answers with emergency advice to show at once."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from booking.api.appointments import own_appointment
from booking.api.base import (
    APPOINTMENT_ID,
    BAD_BODY,
    NOT_FOUND,
    PATIENT_ONLY,
    THROTTLED,
    booking_errors,
    error_response,
    validated,
)
from booking.models import SideEffect, SymptomReport
from care.symptoms import EMERGENCY_ADVICE, InvalidReport, record_symptoms
from core.rest import FIELDS_NEED_ATTENTION, StrictCharField, StrictIntegerField, field_errors
from core.throttling import ScopedThrottle


class SymptomReportIn(serializers.Serializer[Any]):
    pain_now = StrictIntegerField(
        min_value=0, max_value=10, help_text="Pain now on a 0-10 scale (0 no pain, 10 the worst imaginable)."
    )
    side_effects = serializers.ListField(
        child=serializers.ChoiceField(choices=SideEffect.choices), default=list, allow_empty=True
    )
    notes = StrictCharField(max_length=2000, allow_blank=True, default="")


class SymptomReportOut(serializers.ModelSerializer[SymptomReport]):
    emergency_advice = serializers.SerializerMethodField(
        help_text="Present when a red flag was reported: show it to the patient at once."
    )

    class Meta:
        model = SymptomReport
        fields = [
            "id",
            "appointment",
            "pain_now",
            "side_effects",
            "notes",
            "red_flag",
            "created_at",
            "emergency_advice",
        ]

    def get_emergency_advice(self, report: SymptomReport) -> str | None:
        return str(EMERGENCY_ADVICE) if report.red_flag else None


EXAMPLES = [
    OpenApiExample("Sore but fine", {"pain_now": 3, "side_effects": ["soreness", "bruising"], "notes": ""}),
    OpenApiExample(
        "A red flag",
        {
            "id": 12,
            "appointment": 42,
            "pain_now": 4,
            "side_effects": ["breathlessness"],
            "notes": "",
            "red_flag": True,
            "created_at": "2026-06-04T10:15:00Z",
            "emergency_advice": str(EMERGENCY_ADVICE),
        },
        response_only=True,
        status_codes=[201],
    ),
    OpenApiExample(
        "Pain out of range",
        {
            "code": "invalid",
            "detail": FIELDS_NEED_ATTENTION,
            "fields": {"pain_now": ["Ensure this value is less than or equal to 10."]},
        },
        response_only=True,
        status_codes=[400],
    ),
]


class SymptomReportApi(APIView):
    permission_classes = [IsPatient]
    # Each report can alert the practitioner; a loop must not bury them in alerts.
    throttle_classes = [ScopedThrottle]
    throttle_scope = "checkin"

    @extend_schema(
        operation_id="appointments_symptoms",
        summary="Report symptoms after a session",
        description=(
            "Pain now (0-10) and side effects from the list, after a visit that took place. "
            "Breathlessness or chest pain is a red flag: the practitioner is alerted and the answer "
            "carries `emergency_advice`, to show at once."
        ),
        parameters=[APPOINTMENT_ID],
        request=SymptomReportIn,
        responses={
            201: OpenApiResponse(SymptomReportOut, description="Recorded"),
            **BAD_BODY,
            **PATIENT_ONLY,
            **NOT_FOUND,
            409: error_response("invalid_status: the visit has not taken place (yet)"),
            **THROTTLED,
        },
        examples=EXAMPLES,
        tags=["appointments"],
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = own_appointment(request, pk)
        data = validated(SymptomReportIn, request.data)
        user: Any = request.user
        with booking_errors():
            try:
                report = record_symptoms(
                    appointment,
                    pain_now=data["pain_now"],
                    side_effects=data["side_effects"],
                    notes=data["notes"],
                    actor=user,
                )
            except InvalidReport as exc:  # the serializer checks the same first; kept for other callers' shape
                raise field_errors({exc.field: [exc.message]}) from None
        return Response(SymptomReportOut(report).data, status=status.HTTP_201_CREATED)
