"""A practitioner's own calendars in the staff API: list and connect, read, change (name,
paused, where visits are written, which of the account's calendars), remove, test and sync now.

Credentials are write-only: an answer names the kind, the name and the host, never the address,
the username, the password or the sealed secret. Another practitioner's connection is a 404.
The services' refusals (calendars.services.connections, ValidationError by field) are 400s in
the one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedStaff
from booking.api.base import BAD_BODY, error_response, signed_in_user, validated
from calendars import state
from calendars.models import Connection
from calendars.services import connections as services
from core.rest import ApiError, StrictBooleanField, StrictCharField, field_errors
from workspace.api.base import STAFF_ONLY, TAGS
from workspace.selectors import calendar_connections as selectors
from workspace.selectors import visibility

CONNECTION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The connection's id.")
NOT_YOURS = {404: error_response("Not one of your calendar connections")}


class ConnectionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Connection.Kind.choices)
    name = serializers.CharField()
    host = serializers.CharField(help_text="The server's host name only, never the address.")
    paused = serializers.BooleanField()
    write_visits = serializers.BooleanField(help_text="Acus writes the practitioner's visits to this calendar.")
    state = serializers.ChoiceField(choices=state.State.choices)
    last_success_at = serializers.DateTimeField(allow_null=True)
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    last_failure = serializers.CharField(help_text="A Connection.Failure code, or empty.")
    busy_count = serializers.IntegerField(help_text="Busy times at the last good sync.")


class ConnectIn(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Connection.Kind.choices)
    url = StrictCharField(max_length=2000, help_text="CalDAV server address, or the ICS address (https or webcal).")
    username = StrictCharField(max_length=200, required=False, default="", help_text="CalDAV only.")
    password = StrictCharField(
        max_length=500, required=False, default="", write_only=True, help_text="CalDAV only: an app password."
    )
    name = StrictCharField(max_length=100, required=False, default="", allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == Connection.Kind.CALDAV:
            missing = {f: [_("This field is required.")] for f in ("username", "password") if not attrs[f]}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class CaldavConnectIn(serializers.Serializer[Any]):
    """The schema of a CalDAV connection: what ConnectIn requires when kind is caldav."""

    kind = serializers.ChoiceField(choices=[Connection.Kind.CALDAV])
    url = StrictCharField(max_length=2000, help_text="The CalDAV server's, principal's or calendar's address (https).")
    username = StrictCharField(max_length=200)
    password = StrictCharField(max_length=500, write_only=True, help_text="An app password.")
    name = StrictCharField(max_length=100, required=False, default="", allow_blank=True)


class IcsConnectIn(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[Connection.Kind.ICS])
    url = StrictCharField(max_length=2000, help_text="The calendar's secret ICS address (https or webcal).")
    name = StrictCharField(max_length=100, required=False, default="", allow_blank=True)


CONNECT_SCHEMA = PolymorphicProxySerializer(
    component_name="CalendarConnectIn",
    serializers={Connection.Kind.CALDAV.value: CaldavConnectIn, Connection.Kind.ICS.value: IcsConnectIn},
    resource_type_field_name="kind",
)


class ChangeIn(serializers.Serializer[Any]):
    name = StrictCharField(max_length=100, required=False)
    paused = StrictBooleanField(required=False)
    write_visits = StrictBooleanField(required=False)
    calendar_url = StrictCharField(
        max_length=2000, required=False, help_text="One of the CalDAV account's calendars, as discovery lists them."
    )


class TestOut(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    failure = serializers.CharField(help_text="A Connection.Failure code, or empty.")
    detail = serializers.CharField()


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        fields = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
        raise field_errors(fields) from None


def out(connection: Connection, connection_state: str | None = None) -> dict[str, Any]:
    if connection_state is None:
        connection_state = selectors.row_of(connection, now=timezone.now()).state
    return {
        "id": connection.pk,
        "kind": connection.kind,
        "name": connection.name,
        "host": connection.host,
        "paused": connection.paused,
        "write_visits": connection.write_visits,
        "state": str(connection_state),
        "last_success_at": connection.last_success_at,
        "last_attempt_at": connection.last_attempt_at,
        "last_failure": connection.last_failure,
        "busy_count": connection.busy_count,
    }


def _own(request: Request, pk: int) -> Connection:
    return selectors.own_connection(signed_in_user(request), pk)


class StaffCalendarListApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_calendars_list",
        summary="Your connected calendars and their sync state",
        tags=TAGS,
        responses={200: ConnectionOut(many=True), **STAFF_ONLY},
    )
    def get(self, request: Request) -> Response:
        connections = list(selectors.own_connections(signed_in_user(request)))
        rows = selectors.rows_of(connections, now=timezone.now())
        return Response(ConnectionOut([out(r.connection, r.state) for r in rows], many=True).data)

    @extend_schema(
        operation_id="staff_calendars_connect",
        summary="Connect a CalDAV calendar or an ICS address (checked against the server first)",
        tags=TAGS,
        request=CONNECT_SCHEMA,
        responses={201: ConnectionOut, **BAD_BODY, **STAFF_ONLY, 404: error_response("You are not a practitioner")},
    )
    def post(self, request: Request) -> Response:
        data = validated(ConnectIn, request.data)
        user = signed_in_user(request)
        practitioner = visibility.practitioner_of(user)
        if practitioner is None:
            raise Http404("Only practitioners connect calendars")
        with refusals():
            if data["kind"] == Connection.Kind.CALDAV:
                connection = services.connect_caldav(
                    practitioner=practitioner,
                    name=data["name"],
                    url=data["url"],
                    username=data["username"],
                    password=data["password"],
                    actor=user,
                )
            else:
                connection = services.connect_ics(
                    practitioner=practitioner, name=data["name"], url=data["url"], actor=user
                )
        return Response(ConnectionOut(out(connection)).data, status=status.HTTP_201_CREATED)


class StaffCalendarDetailApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_calendars_read",
        tags=TAGS,
        parameters=[CONNECTION_ID],
        responses={200: ConnectionOut, **STAFF_ONLY, **NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ConnectionOut(out(_own(request, pk))).data)

    @extend_schema(
        operation_id="staff_calendars_change",
        summary="Rename, pause or resume, write visits here or not, or choose another of the account's calendars",
        tags=TAGS,
        parameters=[CONNECTION_ID],
        request=ChangeIn,
        responses={200: ConnectionOut, **BAD_BODY, **STAFF_ONLY, **NOT_YOURS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        data = validated(ChangeIn, request.data)
        connection = _own(request, pk)
        user = signed_in_user(request)
        with refusals():
            # The chosen calendar first: it asks the server, outside the other changes' transaction.
            if "calendar_url" in data:
                connection = services.choose_calendar(
                    connection=connection, calendar_url=data["calendar_url"], actor=user
                )
            with transaction.atomic():
                if "name" in data:
                    connection = services.rename(connection=connection, name=data["name"], actor=user)
                if "paused" in data:
                    connection = services.set_paused(connection=connection, paused=data["paused"], actor=user)
                if "write_visits" in data:
                    connection = services.set_write_target(
                        connection=connection, write=data["write_visits"], actor=user
                    )
        return Response(ConnectionOut(out(connection)).data)

    @extend_schema(
        operation_id="staff_calendars_remove",
        tags=TAGS,
        parameters=[CONNECTION_ID],
        responses={204: None, **STAFF_ONLY, **NOT_YOURS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.remove_connection(connection=_own(request, pk), actor=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffCalendarTestApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_calendars_test",
        summary="Reach the calendar now and say whether it answered as a calendar",
        tags=TAGS,
        parameters=[CONNECTION_ID],
        request=None,
        responses={200: TestOut, **STAFF_ONLY, **NOT_YOURS},
    )
    def post(self, request: Request, pk: int) -> Response:
        ok, failure, detail = services.test_connection(connection=_own(request, pk), actor=signed_in_user(request))
        return Response({"ok": ok, "failure": failure, "detail": detail})


class StaffCalendarSyncApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_calendars_sync",
        summary="Queue a sync now; read the connection later for its result",
        tags=TAGS,
        parameters=[CONNECTION_ID],
        request=None,
        responses={
            202: ConnectionOut,
            **STAFF_ONLY,
            **NOT_YOURS,
            409: error_response("The calendar is paused"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        connection = _own(request, pk)
        if connection.paused:
            raise ApiError("paused", _("Resume the calendar first: a paused calendar is not synced."))
        services.queue_sync(connection.pk)
        return Response(ConnectionOut(out(connection)).data, status=status.HTTP_202_ACCEPTED)
