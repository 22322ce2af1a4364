"""Screening and consent endpoints for patients (the review decision for staff is in
workspace.api.reviews).

Thin: parse, check ownership (another patient's id is a 404), call
booking.consent_flow or consent.services, answer in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from booking import consent_documents, consent_flow
from booking.api import consent_serializers as s
from booking.api import documents as documents_shown
from booking.api.base import (
    BAD_BODY,
    BAD_INPUT,
    BAD_TOKEN,
    NOT_FOUND,
    PATIENT_ONLY,
    booking_errors,
    error_response,
    signed_in_patient,
    signed_in_user,
    validated,
)
from booking.models import Clinic
from booking.selectors import consent_zone, own_appointment
from consent import access, documents, selectors
from consent import services as consent_services
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent
from core.addresses import client_ip
from core.rest import FIELDS_NEED_ATTENTION, ApiError, field_errors

Doc = TypeVar("Doc", bound=selectors.Offered[Any, Any])
CONFLICT = {409: error_response("Refused by the booking or consent rules; `code` says which")}
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The consent's id.")


@contextmanager
def consent_errors() -> Iterator[None]:
    try:
        with booking_errors():
            yield
    except consent_services.ConsentError as exc:
        detail = (
            FIELDS_NEED_ATTENTION
            if exc.status == 400
            else " ".join(message for messages in exc.fields.values() for message in messages)
        )
        raise ApiError(exc.code, detail, status_code=exc.status, fields=exc.fields) from None


def _clinic(slug: str) -> Clinic:
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is None:
        raise field_errors({"clinic": [gettext("Unknown clinic.")]})
    return clinic


def _field_error(field: str, message: str) -> ApiError:
    return field_errors({field: [message]})


def _clinic_query(request: Request) -> tuple[s.ClinicQuery, Clinic]:
    query = s.ClinicQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query, _clinic(query.validated_data["clinic"])


def _published(document: Doc | None, missing: str) -> Doc:
    if document is None:
        raise ApiError("not_found", missing, status_code=404)
    return document


class ConsentFormApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="consent_form",
        tags=["consent"],
        parameters=[s.ClinicQuery],
        responses={
            200: s.ConsentFormOut,
            **BAD_INPUT,
            **BAD_TOKEN,
            404: error_response(
                "The clinic has no published consent form, or `appointment` is not the patient's own there"
            ),
        },
    )
    def get(self, request: Request) -> Response:
        query, clinic = _clinic_query(request)
        offered = _published(
            documents_shown.offered_form(request, clinic),
            gettext("This clinic has not published a consent form yet."),
        )
        form = documents_shown.shown(offered, documents_shown.FORM_WORDS)
        context: dict[str, Any] = documents_shown.language_context(offered)
        appointment_id = query.validated_data.get("appointment")
        if appointment_id is not None and hasattr(request.user, "patient"):
            appointment = own_appointment(signed_in_patient(request), appointment_id, clinic=clinic)
            canonical, blanks = offered.canonical(), consent_flow.render_context(appointment)
            context["rendered_text_sha256"] = documents.sha256_text(documents.render_text(canonical, blanks))
            form.sections = documents.rendered_sections(canonical, blanks)
        return Response(s.ConsentFormOut(form, context=context).data)


class QuestionnaireApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="consent_questionnaire",
        tags=["consent"],
        parameters=[s.ClinicQuery],
        responses={
            200: s.QuestionnaireOut,
            **BAD_INPUT,
            **BAD_TOKEN,
            404: error_response("The clinic has no published questionnaire"),
        },
    )
    def get(self, request: Request) -> Response:
        _, clinic = _clinic_query(request)
        offered = _published(
            documents_shown.offered_questionnaire(request, clinic),
            gettext("This clinic has not published a questionnaire yet."),
        )
        questionnaire = documents_shown.shown(offered, documents_shown.QUESTIONNAIRE_WORDS)
        return Response(s.QuestionnaireOut(questionnaire, context=documents_shown.language_context(offered)).data)


class ScreeningCreateApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="screenings_create",
        tags=["consent"],
        request=s.ScreeningIn,
        responses={201: s.ScreeningOut, **BAD_BODY, **PATIENT_ONLY, **NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        data = validated(s.ScreeningIn, request.data)
        patient = signed_in_patient(request)
        questionnaire = QuestionnaireVersion.objects.filter(pk=data["questionnaire_version"]).first()
        clinic = Clinic.objects.filter(slug=questionnaire.scope).first() if questionnaire else None
        if questionnaire is None or clinic is None:
            raise _field_error("questionnaire_version", gettext("Unknown questionnaire version."))
        visit_day = timezone.localdate(timezone=clinic.zone)
        appointment_id = data.get("appointment")
        if appointment_id is not None:
            appointment = own_appointment(patient, appointment_id, clinic=clinic)
            visit_day = appointment.start.astimezone(clinic.zone).date()
        shown = documents_shown.questionnaire_translation(questionnaire, data, request, clinic)
        with consent_errors():
            response = consent_flow.screen(
                patient,
                questionnaire=questionnaire,
                answers=data["answers"],
                clinic=clinic,
                visit_day=visit_day,
                translation=shown,
            )
        alternatives = consent_flow.non_needling_alternatives(clinic) if response.outcome == "block" else []
        body = {
            "id": response.pk,
            "outcome": response.outcome,
            "reasons": consent_documents.shown_reasons(response),
            "language": response.language,
            "questionnaire_translation": response.questionnaire_translation_id,
            "alternatives": [
                {"id": t.pk, "name": t.name, "duration_minutes": t.duration_minutes} for t in alternatives
            ],
        }
        return Response(s.ScreeningOut(body).data, status=status.HTTP_201_CREATED)


def _statuses(consents: list[SignedConsent]) -> dict[int, str]:
    clinics = {c.slug: c for c in Clinic.objects.filter(slug__in={c.scope for c in consents})}
    now = timezone.now()
    out = {}
    for consent in consents:
        clinic = clinics.get(consent.scope)
        valid_since = clinic.consent_valid_since(now) if clinic else now
        out[consent.pk] = selectors.consent_status(consent, valid_since=valid_since)
    return out


def _own_consents(request: Request) -> QuerySet[SignedConsent]:
    return selectors.patient_consents(signed_in_patient(request))


class ConsentListApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="consents_list", tags=["consent"], responses={200: s.ConsentOut(many=True), **PATIENT_ONLY}
    )
    def get(self, request: Request) -> Response:
        consents = list(_own_consents(request))
        return Response(s.ConsentOut(consents, many=True, context={"statuses": _statuses(consents)}).data)

    @extend_schema(
        operation_id="consents_create",
        tags=["consent"],
        request=s.ConsentIn,
        responses={201: s.ConsentOut, **BAD_BODY, **PATIENT_ONLY, **NOT_FOUND, **CONFLICT},
    )
    def post(self, request: Request) -> Response:
        values = validated(s.ConsentIn, request.data)
        patient = signed_in_patient(request)
        form = ConsentFormVersion.objects.filter(pk=values["form_version"]).first()
        if form is None:
            raise _field_error("form_version", gettext("Unknown consent form version."))
        screening = ScreeningResponse.objects.filter(pk=values["screening"], patient=patient).first()
        if screening is None:
            raise _field_error("screening", gettext("Unknown health screening."))
        appointment = own_appointment(patient, values["appointment"])
        shown = documents_shown.form_translation(form, values, request, appointment.clinic)
        guardian = values.get("guardian")
        user = signed_in_user(request)
        with consent_errors():
            consent = consent_flow.sign_for_appointment(
                patient,
                appointment_id=values["appointment"],
                request=consent_flow.SignatureRequest(
                    form=form,
                    screening=screening,
                    typed_name=values["typed_name"],
                    acknowledgements=values["acknowledgements"],
                    e_records_accepted=values["e_records_accepted"],
                    guardian=consent_services.Guardian(**guardian) if guardian else None,
                    signature_svg=values.get("signature_svg", ""),
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    auth_method=auth_method(request),
                    authenticated_at=user.last_login,
                    translation=shown,
                ),
            )
        consent = _own_consents(request).get(pk=consent.pk)
        return Response(
            s.ConsentOut(consent, context={"statuses": _statuses([consent])}).data, status=status.HTTP_201_CREATED
        )


def auth_method(request: Request) -> str:
    if isinstance(request.successful_authenticator, TokenAuthentication):
        return "emailed one-time code, API token"
    return "emailed one-time code, web session"


class ConsentDetailApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="consents_read",
        tags=["consent"],
        parameters=[ID],
        responses={200: s.ConsentDetailOut, **PATIENT_ONLY, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        consent = selectors.own_consent(signed_in_patient(request), pk)
        text = access.signed_text(consent, user=signed_in_user(request), channel="api", ip_address=client_ip(request))
        context = {"statuses": _statuses([consent]), "text": text}
        return Response(s.ConsentDetailOut(consent, context=context).data)


class ConsentPdfApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="consents_pdf",
        tags=["consent"],
        parameters=[ID],
        responses={(200, "application/pdf"): bytes, **PATIENT_ONLY, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        consent = selectors.own_consent(signed_in_patient(request), pk)
        body = access.signed_pdf(
            consent,
            user=signed_in_user(request),
            channel="pdf",
            ip_address=client_ip(request),
            zone=consent_zone(consent),
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}.pdf"'
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # The PDF is written by hand above, so an Accept of application/pdf must not be refused
        # with a 406; errors stay in the one JSON shape, whatever the client accepts.
        return JSONRenderer(), JSONRenderer.media_type


class ConsentWithdrawApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="consents_withdraw",
        summary="Withdraw a consent",
        description=(
            "Future needling visits that relied on it go back to review. Withdrawing again changes "
            "nothing: it answers 200 with the withdrawal that already ended the consent (which may be "
            "`health_changed`), and the new note is not kept."
        ),
        tags=["consent"],
        parameters=[ID],
        request=s.WithdrawIn,
        responses={
            201: OpenApiResponse(s.WithdrawalOut, description="Withdrawn"),
            200: OpenApiResponse(s.WithdrawalOut, description="Already ended: the earlier withdrawal, unchanged"),
            **BAD_BODY,
            **PATIENT_ONLY,
            **NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        note = validated(s.WithdrawIn, request.data).get("note", "")
        with transaction.atomic():
            # Locked, so two withdrawals at once answer 201 once and 200 once.
            mine = SignedConsent.objects.select_for_update().filter(patient=signed_in_patient(request))
            consent = get_object_or_404(mine, pk=pk)
            earlier = consent.withdrawals.first()
            if earlier is not None:
                return Response(s.WithdrawalOut(earlier).data)
            withdrawal = consent_flow.withdraw(consent, by=signed_in_user(request), note=note)
        return Response(s.WithdrawalOut(withdrawal).data, status=status.HTTP_201_CREATED)
