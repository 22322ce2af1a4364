"""Who is signed in: the patient's own profile (read and update), and a staff member's roles."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.base import AUTH_ERRORS, BAD_BODY
from accounts.permissions import IsPatient, IsVerifiedStaff
from accounts.serializers import (
    PatientProfileSerializer,
    StaffMeSerializer,
)


class MeApi(APIView):
    permission_classes = [IsPatient]

    def _patient(self, request: Request) -> Any:
        return request.user.patient  # type: ignore[union-attr]

    @extend_schema(operation_id="me_read", responses={200: PatientProfileSerializer, **AUTH_ERRORS}, tags=["me"])
    def get(self, request: Request) -> Response:
        return Response(PatientProfileSerializer(self._patient(request)).data)

    @extend_schema(
        operation_id="me_update",
        request=PatientProfileSerializer,
        responses={200: PatientProfileSerializer, **BAD_BODY, **AUTH_ERRORS},
        tags=["me"],
    )
    def patch(self, request: Request) -> Response:
        patient = self._patient(request)
        context = {"region": selectors.phone_region(patient)}
        serializer = PatientProfileSerializer(patient, data=request.data, partial=True, context=context)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        language = changes.pop("user", {}).get("language")
        patient = services.update_patient_profile(patient, changes=changes)
        if language:
            services.set_language(patient.user, language=language)
        return Response(PatientProfileSerializer(patient).data)


class StaffMeApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(operation_id="staff_me", responses={200: StaffMeSerializer, **AUTH_ERRORS}, tags=["staff"])
    def get(self, request: Request) -> Response:
        user = request.user
        return Response({"email": user.email, "role": user.role, "verified": True})  # type: ignore[union-attr]
