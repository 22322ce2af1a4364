"""Discharge over REST. Staff (OTP-verified sessions, the plans care.selectors.plans lets them
see): discharge a plan, read how it closed, download the summary PDF. Patients: how their own
plan closed, and its summary PDF. A plan not yet discharged is a 404 on the reads."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient, IsVerifiedStaff
from booking.api.base import BAD_BODY, PATIENT_ONLY, error_response, signed_in_patient, signed_in_user, validated
from care.api.plans import NOT_OWN, NOT_YOURS, PATIENT_TAGS, PLAN_ID, STAFF_ONLY, STAFF_TAGS
from care.errors import InvalidInput
from care.models import CarePlan, Discharge, DischargeReason
from care.selectors import plans as selectors
from care.services import discharge as services
from core.rest import ApiError, StrictCharField, field_errors

NOT_DISCHARGED = "Not a plan you may see, or not discharged yet"


class DischargeIn(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=DischargeReason.choices, help_text="Why the course ends.")
    note = StrictCharField(
        max_length=services.MAX_NOTE, allow_blank=True, default="", help_text="For the summary, in plain words."
    )


class DischargeOut(serializers.Serializer[Any]):
    plan = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=DischargeReason.choices)
    note = serializers.CharField(allow_blank=True)
    by = serializers.CharField(help_text="Who discharged the plan (their e-mail address).")
    at = serializers.DateTimeField()
    language = serializers.CharField(help_text="The summary's language: the patient's.")
    sha256 = serializers.CharField(help_text="SHA-256 of the summary PDF as stored.")
    pdf = serializers.CharField(help_text="Where to download the summary PDF.")


def _out(discharge: Discharge, pdf_url: str) -> dict[str, Any]:
    return {
        "plan": discharge.plan_id,
        "reason": discharge.reason,
        "note": discharge.note,
        "by": discharge.by.email,
        "at": discharge.at.astimezone(discharge.plan.clinic.zone).isoformat(),
        "language": discharge.language,
        "sha256": discharge.summary_sha256,
        "pdf": pdf_url,
    }


def _discharge_of(plan: CarePlan) -> Discharge:
    found = Discharge.objects.select_related("by", "plan__clinic").filter(plan=plan).first()
    if found is None:
        raise ApiError("not_found", _("This plan has not been discharged."), status_code=404)
    return found


def pdf_response(discharge: Discharge) -> HttpResponse:
    response = HttpResponse(bytes(discharge.summary_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="discharge-{discharge.plan_id}.pdf"'
    return response


class _PdfApi(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # The PDF is written by hand, so an Accept of application/pdf must not be refused with a
        # 406; errors stay in the one JSON shape (as booking.api.consents' PDF does).
        return JSONRenderer(), JSONRenderer.media_type


class StaffDischargeApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_discharge_read",
        summary="How a plan was discharged",
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        responses={200: DischargeOut, **STAFF_ONLY, 404: error_response(NOT_DISCHARGED)},
    )
    def get(self, request: Request, pk: int) -> Response:
        discharge = _discharge_of(selectors.staff_plan(signed_in_user(request), pk))
        return Response(_out(discharge, reverse("staff-care-plan-discharge-pdf", args=[pk])))

    @extend_schema(
        operation_id="staff_care_plans_discharge",
        summary="Discharge a plan",
        description=(
            "Closes an active or on-hold plan: `goals_met`, `goals_partly_met` and `goals_not_met` complete it, "
            "`patient_stopped` and `referred_on` stop it. The discharge summary (PDF, in the patient's language) "
            "is made and kept with its SHA-256. A plan is discharged once: again is a 409 `already_discharged`; "
            "a plan that is not active or on hold is a 409 `plan_not_open`."
        ),
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        request=DischargeIn,
        responses={
            201: DischargeOut,
            **BAD_BODY,
            **STAFF_ONLY,
            **NOT_YOURS,
            409: error_response("`already_discharged` or `plan_not_open`"),
        },
        examples=[OpenApiExample("Goals met", {"reason": "goals_met", "note": "Keep walking daily."})],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(DischargeIn, request.data)
        user = signed_in_user(request)
        plan = selectors.staff_plan(user, pk)
        try:
            discharge = services.discharge_plan(plan, reason=data["reason"], note=data["note"], by=user)
        except InvalidInput as exc:
            raise field_errors(exc.fields) from None
        except (services.AlreadyDischarged, services.NotOpen) as exc:
            raise ApiError(exc.code, exc.message, status_code=exc.status) from None
        discharge = _discharge_of(plan)
        body = _out(discharge, reverse("staff-care-plan-discharge-pdf", args=[pk]))
        return Response(body, status=status.HTTP_201_CREATED)


class StaffDischargePdfApi(_PdfApi):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_discharge_pdf",
        summary="The discharge summary PDF",
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        responses={(200, "application/pdf"): bytes, **STAFF_ONLY, 404: error_response(NOT_DISCHARGED)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return pdf_response(_discharge_of(selectors.staff_plan(signed_in_user(request), pk)))


class PatientDischargeApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_discharge_read",
        summary="How one of the patient's plans was discharged",
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        responses={200: DischargeOut, **PATIENT_ONLY, 404: NOT_OWN[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        discharge = _discharge_of(selectors.patient_plan(signed_in_patient(request), pk))
        return Response(_out(discharge, reverse("api-care-plan-discharge-pdf", args=[pk])))


class PatientDischargePdfApi(_PdfApi):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_discharge_pdf",
        summary="The discharge summary PDF of one of the patient's plans",
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        responses={(200, "application/pdf"): bytes, **PATIENT_ONLY, 404: NOT_OWN[404]},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return pdf_response(_discharge_of(selectors.patient_plan(signed_in_patient(request), pk)))
