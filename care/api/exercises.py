"""The home exercise programme over REST, for staff (OTP-verified sessions): the clinic's
library, a plan's prescriptions and its adherence per week. The patient's side is
care/api/exercise_patient.py.

Thin: look up what the caller may see (another clinic's exercise or plan is a 404), check the
body, call care.services.exercises, answer with the result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedStaff
from booking.api.base import BAD_BODY, BAD_INPUT, error_response, signed_in_user, validated
from care.api import exercise_serializers as s
from care.api.plans import NOT_YOURS, PLAN_ID, STAFF_ONLY
from care.errors import InvalidInput
from care.models import Exercise
from care.selectors import exercises as selectors
from care.selectors.plans import staff_plan
from care.services import exercises as services
from core.rest import ApiError, field_errors

TAGS = ["staff exercises"]
EXERCISE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The exercise's id.")
PRESCRIPTION_ID = OpenApiParameter("pid", int, OpenApiParameter.PATH, description="The prescription's id.")
NO_EXERCISE = {404: error_response("Not an exercise of your clinics")}
NOT_FOUND = {404: error_response("Not a plan you may see, or no such prescription on it")}
REFUSED = {409: error_response("The plan is closed (`plan_closed`) or the exercise stopped (`prescription_stopped`)")}


@contextmanager
def exercise_errors() -> Iterator[None]:
    try:
        yield
    except InvalidInput as exc:
        raise field_errors(exc.fields) from None
    except services.ExerciseRefused as exc:
        raise ApiError(exc.code, exc.message, status_code=exc.status) from None


def _exercise_input(data: dict[str, Any], base: Exercise | None) -> services.ExerciseInput:
    dose = s.dose_from(data, base) or services.DoseInput(1, 10, 0, 1)
    return services.ExerciseInput(
        name=data.get("name", base.name if base else ""),
        instructions=data.get("instructions", base.instructions if base else ""),
        dose=dose,
        picture_alt=data.get("picture_alt", base.picture_alt if base else ""),
        translations=data.get("translations", base.translations if base else {}),
    )


class StaffLibraryApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_exercises_list",
        summary="The exercise library of your clinics",
        description="The exercises offered for new prescriptions, by clinic and name; `retired=true` lists "
        "retired ones too (`active` false).",
        tags=TAGS,
        parameters=[s.LibraryQuery],
        responses={200: s.ExerciseOut(many=True), **BAD_INPUT, **STAFF_ONLY},
    )
    def get(self, request: Request) -> Response:
        query = validated(s.LibraryQuery, request.query_params)
        found = selectors.library(signed_in_user(request)).defer("picture")
        if query.get("retired") != "true":
            found = found.filter(active=True)
        if "clinic" in query:
            found = found.filter(clinic_id=query["clinic"])
        return Response([s.exercise_out(exercise) for exercise in found])

    @extend_schema(
        operation_id="staff_exercises_create",
        summary="Add an exercise to a clinic's library",
        description=(
            "Name, plain instructions, default dose, and optionally a picture (PNG, JPEG or WebP, at most 1 MB, "
            "base64 in `picture`; re-encoded, its metadata dropped) with its description in `picture_alt`."
        ),
        tags=TAGS,
        request=s.ExerciseIn,
        responses={201: s.ExerciseOut, **BAD_BODY, **STAFF_ONLY},
    )
    def post(self, request: Request) -> Response:
        data = validated(s.ExerciseIn, request.data)
        user = signed_in_user(request)
        clinic = selectors.staff_clinics(user).filter(pk=data["clinic"]).first()
        if clinic is None:
            raise field_errors({"clinic": [_("You do not work at this clinic.")]})
        picture = s.picture_bytes(data.get("picture"))
        with exercise_errors():
            exercise = services.create_exercise(
                clinic=clinic, data=_exercise_input(data, None), picture=picture, actor=user
            )
        return Response(s.exercise_out(exercise), status=status.HTTP_201_CREATED)


class StaffExerciseApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_exercises_read",
        summary="One exercise of your clinics' library",
        tags=TAGS,
        parameters=[EXERCISE_ID],
        responses={200: s.ExerciseOut, **STAFF_ONLY, **NO_EXERCISE},
    )
    def get(self, request: Request, pk: int) -> Response:
        # A retired exercise has left the library: gone here (plans that use it still show it).
        return Response(s.exercise_out(selectors.staff_exercise(signed_in_user(request), pk, retired=False)))

    @extend_schema(
        operation_id="staff_exercises_update",
        summary="Change an exercise",
        description=(
            "Only the fields sent change. `picture`: new base64 text, or null to remove it. A new dose is the "
            "default for new prescriptions; plans keep the dose they were given."
        ),
        tags=TAGS,
        parameters=[EXERCISE_ID],
        request=s.ExerciseChange,
        responses={200: s.ExerciseOut, **BAD_BODY, **STAFF_ONLY, **NO_EXERCISE},
    )
    def patch(self, request: Request, pk: int) -> Response:
        # The body first, as the plans' status action does: a bad body is a 400 for any id.
        data = validated(s.ExerciseChange, request.data)
        user = signed_in_user(request)
        exercise = selectors.staff_exercise(user, pk, retired=False)
        picture: Any = s.picture_bytes(data["picture"]) if "picture" in data else services.KEEP
        with exercise_errors():
            exercise = services.update_exercise(
                exercise, data=_exercise_input(data, exercise), picture=picture, actor=user
            )
        return Response(s.exercise_out(exercise))

    @extend_schema(
        operation_id="staff_exercises_retire",
        summary="Retire an exercise",
        description=(
            "It leaves the library: no longer offered for new prescriptions, and a 404 here afterwards. Plans "
            "that use it keep it, and the library lists it with `retired=true`."
        ),
        tags=TAGS,
        parameters=[EXERCISE_ID],
        request=None,
        responses={204: None, **STAFF_ONLY, **NO_EXERCISE},
    )
    def delete(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        services.retire_exercise(selectors.staff_exercise(user, pk, retired=False), actor=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffPrescriptionListApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plan_exercises_list",
        summary="A plan's home exercises",
        description="Every prescription, stopped ones too, in the order given.",
        tags=TAGS,
        parameters=[PLAN_ID],
        responses={200: s.PrescriptionOut(many=True), **STAFF_ONLY, **NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = staff_plan(signed_in_user(request), pk)
        return Response([s.prescription_out(row) for row in selectors.prescriptions(plan)])

    @extend_schema(
        operation_id="staff_care_plan_exercises_create",
        summary="Prescribe an exercise",
        description=(
            "From the plan's clinic's library. The dose is the library's unless given (any part left out is the "
            "library's); it starts today in the clinic's zone unless `start_on` says a later day."
        ),
        tags=TAGS,
        parameters=[PLAN_ID],
        request=s.PrescribeIn,
        responses={201: s.PrescriptionOut, **BAD_BODY, **STAFF_ONLY, **NOT_YOURS, **REFUSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(s.PrescribeIn, request.data)
        user = signed_in_user(request)
        plan = staff_plan(user, pk)
        exercise = selectors.library(user).filter(pk=data["exercise"], clinic=plan.clinic_id).first()
        if exercise is None:
            raise field_errors({"exercise": [_("Choose an exercise from the clinic's library.")]})
        with exercise_errors():
            row = services.prescribe(
                plan,
                exercise=exercise,
                actor=user,
                dose=s.dose_from(data, exercise),
                note=data["note"],
                start_on=data.get("start_on"),
            )
        return Response(s.prescription_out(row), status=status.HTTP_201_CREATED)


class StaffPrescriptionApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plan_exercises_update",
        summary="Change a prescribed exercise's dose or note",
        description="Only the fields sent change.",
        tags=TAGS,
        parameters=[PLAN_ID, PRESCRIPTION_ID],
        request=s.PrescriptionChange,
        responses={200: s.PrescriptionOut, **BAD_BODY, **STAFF_ONLY, **NOT_FOUND, **REFUSED},
    )
    def patch(self, request: Request, pk: int, pid: int) -> Response:
        data = validated(s.PrescriptionChange, request.data)
        user = signed_in_user(request)
        row = selectors.prescription_of(staff_plan(user, pk), pid)
        dose = s.dose_from(data, row)
        assert dose is not None  # with a base there is always a dose
        with exercise_errors():
            row = services.change_dose(row, dose=dose, note=data.get("note"), actor=user)
        return Response(s.prescription_out(row))

    @extend_schema(
        operation_id="staff_care_plan_exercises_stop",
        summary="Stop a prescribed exercise",
        description=(
            "Today (the clinic's date) is its last day. One that has not started yet is removed: 204. "
            "Stopping again changes nothing."
        ),
        tags=TAGS,
        parameters=[PLAN_ID, PRESCRIPTION_ID],
        request=None,
        responses={200: s.PrescriptionOut, 204: None, **STAFF_ONLY, **NOT_FOUND, **REFUSED},
    )
    def delete(self, request: Request, pk: int, pid: int) -> Response:
        user = signed_in_user(request)
        row = selectors.prescription_of(staff_plan(user, pk), pid)
        with exercise_errors():
            stopped = services.stop_prescription(row, actor=user)
        if stopped is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.prescription_out(selectors.prescription_of(row.plan, pid)))


class StaffAdherenceApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plan_adherence",
        summary="A plan's exercise adherence per week",
        description=(
            "The share of prescribed exercise-days done, per Monday-to-Sunday week of the clinic's calendar, up to "
            "today; `overall` for the whole programme so far."
        ),
        tags=TAGS,
        parameters=[PLAN_ID],
        responses={200: s.AdherenceOut, **STAFF_ONLY, **NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = staff_plan(signed_in_user(request), pk)
        today = selectors.clinic_today(plan.clinic)
        return Response(s.adherence_out(selectors.plan_adherence(plan, today), today))
