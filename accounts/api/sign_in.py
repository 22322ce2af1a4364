"""Patient sign-in over the API: ask for a code by email, then trade it for a token."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.base import ERRORS
from accounts.serializers import (
    ErrorSerializer,
    SignInStartedSerializer,
    SignInStartSerializer,
    SignInVerifySerializer,
    TokenSerializer,
)
from accounts.throttles import SignInEmailThrottle
from core.rest import ApiError
from core.throttling import ScopedThrottle


def sent_message() -> str:
    minutes = settings.OTP_EMAIL_TOKEN_VALIDITY // 60
    return ngettext(
        "If this address can receive email, a 6-digit code is on its way. It works for %(minutes)s minute.",
        "If this address can receive email, a 6-digit code is on its way. It works for %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


NOT_SENT = OpenApiResponse(
    ErrorSerializer,
    description="email_not_sent: the code email could not be sent just now and no code was kept; "
    "ask again after Retry-After. (service_unavailable: the database cannot be reached.)",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    {"type": "integer", "minimum": 0},
    OpenApiParameter.HEADER,
    response=[503],
    description="Seconds to wait before trying again.",
)


class PatientSignInStartApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [ScopedThrottle, SignInEmailThrottle]
    throttle_scope = "sign_in_start"

    @extend_schema(
        operation_id="auth_patient_start",
        request=SignInStartSerializer,
        responses={202: SignInStartedSerializer, **ERRORS, 503: NOT_SENT},
        parameters=[RETRY_AFTER],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = SignInStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            # The email is written in the language this call is answered in (Accept-Language).
            email = serializer.validated_data["email"]
            services.start_patient_sign_in(email=email, language=translation.get_language())
        except services.CodeNotSent as exc:
            error = ApiError("email_not_sent", exc.message, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)
            error.wait = exc.retry_after  # type: ignore[attr-defined]
            raise error from None
        except services.AddressRefused as exc:
            raise ApiError(
                "email_refused",
                exc.message,
                status_code=status.HTTP_400_BAD_REQUEST,
                fields={"email": [str(exc.message)]},
            ) from None
        return Response({"detail": sent_message()}, status=status.HTTP_202_ACCEPTED)


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
            _, token = services.verify_patient_code(**serializer.validated_data, language=translation.get_language())
        except services.SignInError as exc:
            if exc.code == "too_many_attempts":
                error = ApiError(exc.code, exc.message, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
                error.wait = exc.retry_after  # type: ignore[attr-defined]
                raise error from None
            raise ApiError(
                exc.code, exc.message, status_code=status.HTTP_400_BAD_REQUEST, fields={"code": [exc.message]}
            ) from None
        return Response({"token": token})
