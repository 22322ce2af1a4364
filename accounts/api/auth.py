"""Patient sign-in and profile endpoints: thin adapters over accounts.services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.permissions import IsPatient, IsVerifiedStaff
from accounts.serializers import (
    ErrorSerializer,
    PatientProfileSerializer,
    SignInStartedSerializer,
    SignInStartSerializer,
    SignInVerifySerializer,
    StaffMeSerializer,
    TokenSerializer,
)
from accounts.throttles import SignInEmailThrottle
from core.rest import ApiError
from core.throttling import ScopedThrottle

BAD_BODY = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
    415: OpenApiResponse(ErrorSerializer, description="The body is not JSON: send Content-Type: application/json"),
}
ERRORS = {**BAD_BODY, 429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After")}
AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed"),
}
SENT_MESSAGE = "If this address can receive email, a 6-digit code is on its way. It works for 10 minutes."


class PatientSignInStartApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [ScopedThrottle, SignInEmailThrottle]
    throttle_scope = "sign_in_start"

    @extend_schema(
        operation_id="auth_patient_start",
        request=SignInStartSerializer,
        responses={202: SignInStartedSerializer, **ERRORS},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = SignInStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.start_patient_sign_in(email=serializer.validated_data["email"])
        return Response({"detail": SENT_MESSAGE}, status=status.HTTP_202_ACCEPTED)


class PatientSignInVerifyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "sign_in_verify"

    @extend_schema(
        operation_id="auth_patient_verify",
        request=SignInVerifySerializer,
        responses={200: TokenSerializer, **ERRORS},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = SignInVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            _, token = services.verify_patient_code(**serializer.validated_data)
        except services.SignInError as exc:
            if exc.code == "too_many_attempts":
                error = ApiError(exc.code, exc.message, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
                error.wait = exc.retry_after  # type: ignore[attr-defined]
                raise error from None
            raise ApiError(
                exc.code, exc.message, status_code=status.HTTP_400_BAD_REQUEST, fields={"code": [exc.message]}
            ) from None
        return Response({"token": token})


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
        serializer = PatientProfileSerializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient = services.update_patient_profile(patient, changes=dict(serializer.validated_data))
        return Response(PatientProfileSerializer(patient).data)


class StaffMeApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(operation_id="staff_me", responses={200: StaffMeSerializer, **AUTH_ERRORS}, tags=["staff"])
    def get(self, request: Request) -> Response:
        user = request.user
        return Response({"email": user.email, "role": user.role, "verified": True})  # type: ignore[union-attr]
