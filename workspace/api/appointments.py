"""The staff API under /api/v1/staff/: calendar, appointment detail, actions and notes
(the review queue and decisions are in reviews.py). OTP-verified sessions only.

Thin adapters over workspace.selectors, workspace.services and
booking.services. An appointment the caller may not see is a 404, never a 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedStaff
from booking import errors, services
from booking.api.base import (
    BAD_INPUT,
    AppointmentActionApi,
    error_response,
    signed_in_user,
    validated,
)
from booking.models import Appointment, SessionNote
from care import services as care_services
from consent import access, documents
from consent import services as consent_services
from core.addresses import client_ip
from core.rest import ApiError, field_errors
from workspace import services as staff_services
from workspace.api import serializers as s
from workspace.api.base import ACTION_ERRORS, STAFF_ONLY, TAGS, one_appointment
from workspace.chart import pain_chart
from workspace.selectors import appointment_page, badges, calendar_queries, visibility


@contextmanager
def staff_errors() -> Iterator[None]:
    """The services' refusals in the API's one error shape."""
    try:
        yield
    except staff_services.InvalidInput as exc:
        raise field_errors(exc.fields) from None
    except consent_services.ConsentError as exc:
        raise ApiError(exc.code, str(exc), status_code=exc.status, fields=exc.fields) from None
    except errors.BookingError as exc:
        raise ApiError(exc.code, exc.message, status_code=exc.status) from None


def _appointment(request: Request, pk: int) -> Appointment:
    return visibility.visible_appointment(signed_in_user(request), pk)


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def _flags(flags: list[badges.Flag]) -> list[dict[str, Any]]:
    return [{"outcome": f.outcome, "explanation": f.explanation, "site": f.site} for f in flags]


def summary(entry: badges.Entry) -> dict[str, Any]:
    a = entry.appointment
    return {
        "id": a.pk,
        "start": _local(a.start, a.time_zone),
        "end": _local(a.end, a.time_zone),
        "time_zone": a.time_zone,
        "status": a.status,
        "arrived": entry.arrived,
        "version": a.version,
        "appointment_type": {
            "id": a.appointment_type_id,
            "name": a.appointment_type.name,
            "involves_needling": a.appointment_type.involves_needling,
        },
        "patient": {"id": a.patient_id, "name": a.patient.legal_name or a.patient.display_name},
        "practitioner": {"id": a.practitioner_id, "name": a.practitioner.display_name},
        "clinic": {"id": a.clinic_id, "name": a.clinic.name},
        "consent_status": entry.consent,
        "screening": {"outcome": a.screening.outcome, "flags": _flags(entry.flags)} if a.screening else None,
        "has_note": entry.has_note,
    }


def note_out(note: SessionNote, zone: str) -> dict[str, Any]:
    return {
        "appointment": note.appointment_id,
        "session_start": _local(note.appointment.start, zone),
        "pain_before": note.pain_before,
        "pain_after": note.pain_after,
        "regions": note.regions,
        "adverse_events": note.adverse_events,
        "adverse_events_other": note.adverse_events_other,
        "exercises": note.exercises,
        "consent_reconfirmed": note.consent_reconfirmed,
        "author": note.author.email,
        "created_at": _local(note.created_at, zone),
    }


def detail(record: appointment_page.AppointmentFile) -> dict[str, Any]:
    a = record.appointment
    zone = a.time_zone
    patient = a.patient
    chart = pain_chart(record.pain, zone=a.clinic.zone)
    consent = record.consent
    return {
        **summary(record.entry),
        "patient_details": {
            "id": patient.pk,
            "legal_name": patient.legal_name,
            "preferred_name": patient.preferred_name,
            "date_of_birth": patient.date_of_birth,
            "age": record.age,
            "minor": record.minor,
            "phone": patient.phone,
            "email": patient.user.email,
        },
        "answers": [{"question": x.question, "answer": x.answer, "flags": _flags(x.flags)} for x in record.answers],
        "other_flags": _flags(record.other_flags),
        "consent": None
        if consent is None
        else {
            "id": consent.pk,
            "status": record.consent_state,
            "signed_at": _local(consent.signed_at, zone),
            "form_version": consent.form_version.version,
            "signer_role": consent.signer_role,
            "typed_name": consent.typed_name,
        },
        "reviews": [
            {"decision": r.decision, "note": r.note, "at": _local(r.at, zone), "reviewer": r.reviewer.email}
            for r in record.reviews
        ],
        "note": note_out(record.note.note, zone) if record.note else None,
        "earlier_notes": [note_out(n.note, zone) for n in record.earlier_notes],
        "pain": {
            "baseline": chart.baseline,
            "summary": chart.summary,
            "points": [
                {
                    "when": row.when.isoformat() if isinstance(row.when, datetime) else row.when,
                    "score": row.score,
                    "source": row.source,
                    "change": row.change,
                    "percent": row.percent,
                    "meaningful": row.meaningful,
                }
                for row in chart.rows
            ],
        },
    }


def _entry(request: Request, pk: int) -> badges.Entry:
    found = badges.entries(visibility.staff_appointments(signed_in_user(request)).filter(pk=pk))
    if not found:
        raise Http404
    return found[0]


class StaffAppointmentListApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_appointments_list",
        summary="Calendar: appointments in a range",
        tags=TAGS,
        parameters=[s.StaffCalendarQuery],
        responses={200: s.StaffAppointmentOut(many=True), **BAD_INPUT, **STAFF_ONLY},
    )
    def get(self, request: Request) -> Response:
        values = validated(s.StaffCalendarQuery, request.query_params)
        user = signed_in_user(request)
        clinic = visibility.staff_clinics(user).filter(pk=values["clinic"]).first() if "clinic" in values else None
        if "clinic" in values and clinic is None:
            raise field_errors({"clinic": [_("Unknown.")]})
        found = calendar_queries.calendar(user, start=values["start"], end=values["end"], clinic=clinic)
        if "practitioner" in values:
            found = [e for e in found if e.appointment.practitioner_id == values["practitioner"]]
        return Response(s.StaffAppointmentOut([summary(e) for e in found], many=True).data)


class StaffAppointmentDetailApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @one_appointment(
        "staff_appointments_read",
        "An appointment: patient, screening, consent, notes and pain trend",
        s.StaffAppointmentDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        record = appointment_page.appointment_file(signed_in_user(request), pk)
        if record is None:
            raise Http404
        return Response(s.StaffAppointmentDetailOut(detail(record)).data)


class StaffConsentTextApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @one_appointment(
        "staff_appointments_consent_text",
        "The exact consent text signed for this visit (the read is logged)",
        s.StaffConsentTextOut,
        errors={404: error_response("Not yours, or no consent covers it")},
    )
    def get(self, request: Request, pk: int) -> Response:
        appointment = _appointment(request, pk)
        consent = appointment_page.covering_consent(appointment)
        if consent is None:
            raise Http404
        text = access.signed_text(consent, user=signed_in_user(request), channel="api", ip_address=client_ip(request))
        body = {
            "consent": consent.pk,
            "text": text,
            "rendered_text_sha256": consent.rendered_text_sha256,
            "matches": documents.sha256_text(text) == consent.rendered_text_sha256,
        }
        return Response(s.StaffConsentTextOut(body).data)


def _action_schema(operation_id: str, summary_text: str, request: Any = None) -> Any:
    return extend_schema_view(
        post=one_appointment(operation_id, summary_text, s.StaffAppointmentOut, request=request, errors=ACTION_ERRORS)
    )


class _StaffActionApi(AppointmentActionApi):
    permission_classes = [IsVerifiedStaff]
    body_first = True

    def find(self, request: Request, pk: int) -> Appointment:
        return _appointment(request, pk)

    def refusals(self) -> AbstractContextManager[None]:
        return staff_errors()

    def answer(self, request: Request, appointment: Appointment) -> Response:
        return Response(s.StaffAppointmentOut(summary(_entry(request, appointment.pk))).data)


@_action_schema("staff_appointments_arrive", "Mark the patient arrived (twice changes nothing)")
class StaffArriveApi(_StaffActionApi):
    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return staff_services.mark_arrived(appointment, actor=signed_in_user(request))


@_action_schema(
    "staff_appointments_complete",
    "Mark completed; a needling session needs its note with consent reconfirmed in person",
)
class StaffCompleteApi(_StaffActionApi):
    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return care_services.complete_session(appointment, actor=signed_in_user(request))


@_action_schema("staff_appointments_no_show", "Mark a no-show")
class StaffNoShowApi(_StaffActionApi):
    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return services.mark_no_show(appointment, actor=signed_in_user(request))


@_action_schema("staff_appointments_cancel", "Cancel, with a reason the patient is told", s.StaffReasonIn)
class StaffCancelApi(_StaffActionApi):
    body_serializer = s.StaffReasonIn

    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return services.cancel_appointment(
            appointment, actor=signed_in_user(request), reason=data["reason"], override=True
        )


@_action_schema("staff_appointments_move", "Move to a free time, with a reason the patient is told", s.StaffMoveIn)
class StaffMoveApi(_StaffActionApi):
    body_serializer = s.StaffMoveIn

    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return services.reschedule_appointment(
            appointment, actor=signed_in_user(request), start=data["start"], reason=data["reason"], override=True
        )


class StaffNoteApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @one_appointment(
        "staff_appointments_note",
        "Write or amend the session note (and optionally complete the session)",
        s.StaffNoteOut,
        request=s.StaffNoteIn,
        errors=ACTION_ERRORS,
    )
    def put(self, request: Request, pk: int) -> Response:
        values = validated(s.StaffNoteIn, request.data)
        complete = values.pop("complete")
        appointment = _appointment(request, pk)
        save = care_services.record_note_and_complete if complete else care_services.record_session_note
        with staff_errors():
            note = save(appointment, author=signed_in_user(request), note=care_services.NoteInput(**values))
        note = SessionNote.objects.select_related("appointment", "author").get(pk=note.pk)
        return Response(s.StaffNoteOut(note_out(note, appointment.time_zone)).data)
