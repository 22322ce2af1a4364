"""The patient's home exercises over REST: today's programme, ticking one off (PUT) or taking
the tick back (DELETE), and the daily reminder's time. Only the patient's own plans: any
other plan or prescription id is a 404."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from booking.api.base import BAD_BODY, PATIENT_ONLY, error_response, signed_in_patient, signed_in_user, validated
from care.api import exercise_serializers as s
from care.api.exercises import PRESCRIPTION_ID, exercise_errors
from care.api.plans import NOT_OWN, PLAN_ID
from care.models import CarePlan, PlanExercise
from care.selectors import exercises as selectors
from care.selectors.plans import patient_plan
from care.services import exercises as services
from core.rest import field_errors

TAGS = ["care plans"]
NOT_OWN_EXERCISE = {404: error_response("No such plan among the patient's own, or no such exercise on it")}
NOT_TODAY = {
    409: error_response(
        "`not_prescribed_that_day`: the exercise is not on today's programme (stopped, or not started); "
        "`plan_closed`: the plan is completed or stopped"
    )
}


def _own(request: Request, pk: int, pid: int) -> PlanExercise:
    return selectors.prescription_of(patient_plan(signed_in_patient(request), pk), pid)


class TodayApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plan_exercises_today",
        summary="Today's home exercises",
        description=(
            "The exercises prescribed for today (the clinic's date), in the caller's language where the clinic "
            "translated them, with the dose in words and whether each is ticked."
        ),
        tags=TAGS,
        parameters=[PLAN_ID],
        responses={200: s.TodayOut, **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = patient_plan(signed_in_patient(request), pk)
        items = selectors.today_programme(plan)
        return Response(s.today_out(selectors.clinic_today(plan.clinic), items))


class DoneApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plan_exercises_tick",
        summary="Tick an exercise done today",
        description="A second tick changes nothing: an exercise counts once a day.",
        tags=TAGS,
        parameters=[PLAN_ID, PRESCRIPTION_ID],
        request=None,
        responses={200: s.DoneOut, **PATIENT_ONLY, **NOT_OWN_EXERCISE, **NOT_TODAY},
    )
    def put(self, request: Request, pk: int, pid: int) -> Response:
        row = _own(request, pk, pid)
        with exercise_errors():
            log = services.tick(row, actor=signed_in_user(request))
        return Response({"id": row.pk, "day": log.day, "done": True})

    @extend_schema(
        operation_id="care_plan_exercises_untick",
        summary="Take back today's tick",
        description="Taking back a tick that is not there changes nothing.",
        tags=TAGS,
        parameters=[PLAN_ID, PRESCRIPTION_ID],
        request=None,
        responses={200: s.DoneOut, **PATIENT_ONLY, **NOT_OWN_EXERCISE, **NOT_TODAY},
    )
    def delete(self, request: Request, pk: int, pid: int) -> Response:
        row = _own(request, pk, pid)
        with exercise_errors():
            services.untick(row, actor=signed_in_user(request))
        return Response({"id": row.pk, "day": selectors.clinic_today(row.plan.clinic), "done": False})


def _reminder(plan: CarePlan) -> Response:
    return Response(s.reminder_out(selectors.reminder_of(plan), plan.clinic.time_zone))


class ReminderApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plan_exercise_reminder_read",
        summary="The daily exercise reminder",
        description="Its time in the clinic's zone and whether it is on; `at` is null before one was set.",
        tags=TAGS,
        parameters=[PLAN_ID],
        responses={200: s.ReminderOut, **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _reminder(patient_plan(signed_in_patient(request), pk))

    @extend_schema(
        operation_id="care_plan_exercise_reminder_set",
        summary="Set the daily exercise reminder",
        description=(
            "A time of day (clinic's zone) and on or off. Sent through the clinic's messages, never in quiet "
            "hours; each one has a link that stops it in one tap."
        ),
        tags=TAGS,
        parameters=[PLAN_ID],
        request=s.ReminderIn,
        responses={200: s.ReminderOut, **BAD_BODY, **PATIENT_ONLY, **NOT_OWN, **NOT_TODAY},
    )
    def put(self, request: Request, pk: int) -> Response:
        # Parse the body before the lookup (a hostile body is a 400 or 413 for any id), check it after
        # (another patient's plan is a 404 whatever the body says), as the patient's other actions do.
        body = request.data
        plan = patient_plan(signed_in_patient(request), pk)
        data = validated(s.ReminderIn, body)
        current = selectors.reminder_of(plan)
        at = data.get("at") or (current.at if current else None)
        if at is None:
            raise field_errors({"at": [_("Choose a time of day.")]})
        with exercise_errors():
            services.set_reminder(plan, at=at, active=data["active"], actor=signed_in_user(request))
        return _reminder(plan)
