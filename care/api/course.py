"""A course of care over REST: what the course page shows, as data. The patient reads their own
plan's course; staff (OTP-verified sessions) a plan they may see (care.selectors.plans). Another
patient's plan, or one of another clinic, is a 404. Times are ISO 8601 with the clinic's offset.

Read-only and thin: look the plan up, call care.selectors.course.course_for, answer."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient, IsVerifiedStaff
from booking.api.base import PATIENT_ONLY, signed_in_patient, signed_in_user
from care.api.plans import NOT_OWN, NOT_YOURS, PATIENT_TAGS, PLAN_ID, STAFF_ONLY, STAFF_TAGS
from care.models import CarePlan
from care.selectors import plans as selectors
from care.selectors.course import CANCELLED, DONE, MISSED, TO_COME, Course, InstrumentCourse, course_for

STATES = [(DONE, "done"), (TO_COME, "to come"), (CANCELLED, "cancelled"), (MISSED, "missed (no-show)")]


class CourseHealthChangeOut(serializers.Serializer[Any]):
    since = serializers.DateField(help_text="The date the patient was asked about.")
    changed = serializers.BooleanField()
    outcome = serializers.CharField(help_text="unchanged, clear, review or blocked.")


class CourseVisitOut(serializers.Serializer[Any]):
    appointment = serializers.IntegerField(help_text="The appointment's id.")
    number = serializers.IntegerField(help_text="Its place in the course: number of sessions_planned.")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.CharField(help_text="The appointment's status.")
    state = serializers.ChoiceField(choices=STATES)
    moved_reason = serializers.CharField(allow_blank=True)
    health_change = CourseHealthChangeOut(allow_null=True)


class CourseScoreOut(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    timepoint = serializers.CharField(help_text="baseline, visit, checkin or discharge.")
    score = serializers.FloatField()
    baseline = serializers.FloatField()
    change = serializers.FloatField(help_text="The improvement in points (positive is better).")
    change_percent = serializers.FloatField(allow_null=True, help_text="Null from a baseline of 0.")
    meaningful = serializers.BooleanField()
    threshold_source = serializers.CharField(allow_blank=True)


class CourseInstrumentOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the caller's language.")
    low = serializers.FloatField()
    high = serializers.FloatField()
    higher_is_better = serializers.BooleanField()
    threshold_points = serializers.FloatField(allow_null=True)
    threshold_percent = serializers.FloatField(allow_null=True)
    threshold_source = serializers.CharField()
    band = serializers.ListField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text="[low, high]: scores from the baseline up to a meaningful improvement; null without scores.",
    )
    scores = CourseScoreOut(many=True)


class CourseWeekOut(serializers.Serializer[Any]):
    week_of = serializers.DateField(help_text="The Monday.")
    prescribed = serializers.IntegerField(help_text="Exercise-days prescribed.")
    done = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class CourseSideEffectsOut(serializers.Serializer[Any]):
    appointment = serializers.IntegerField()
    visit_number = serializers.IntegerField(allow_null=True)
    reported_at = serializers.DateTimeField()
    pain_now = serializers.IntegerField()
    side_effects = serializers.ListField(child=serializers.CharField(), help_text="In the caller's language.")
    red_flag = serializers.BooleanField()


class CourseOut(serializers.Serializer[Any]):
    plan = serializers.IntegerField()
    sessions_planned = serializers.IntegerField()
    unbooked = serializers.IntegerField(help_text="Sessions planned and not booked (or attended) yet.")
    visits = CourseVisitOut(many=True)
    instruments = CourseInstrumentOut(many=True)
    adherence = CourseWeekOut(many=True)
    adherence_overall = serializers.FloatField(allow_null=True)
    side_effects = CourseSideEffectsOut(many=True)


def _instrument(item: InstrumentCourse) -> dict[str, Any]:
    scale = item.scale
    return {
        "code": item.code,
        "name": str(item.name),
        "low": scale.low,
        "high": scale.high,
        "higher_is_better": scale.higher_is_better,
        "threshold_points": scale.threshold_points,
        "threshold_percent": scale.threshold_percent,
        "threshold_source": scale.threshold_source,
        "band": list(item.chart.band) if item.chart.band else None,
        "scores": [
            {
                "at": p.when.isoformat(),
                "timepoint": p.timepoint,
                "score": p.score,
                "baseline": p.baseline,
                "change": p.change,
                "change_percent": p.change_percent,
                "meaningful": p.meaningful,
                "threshold_source": p.threshold_source,
            }
            for p in item.points
        ],
    }


def course_out(course: Course) -> dict[str, Any]:
    return {
        "plan": course.plan.pk,
        "sessions_planned": course.plan.sessions_planned,
        "unbooked": course.unbooked,
        "visits": [
            {
                "appointment": v.appointment_id,
                "number": v.number,
                "start": v.start.isoformat(),
                "end": v.end.isoformat(),
                "status": v.status,
                "state": v.state,
                "moved_reason": v.moved_reason,
                "health_change": None
                if v.health_change is None
                else {
                    "since": v.health_change.since.isoformat(),
                    "changed": v.health_change.changed,
                    "outcome": v.health_change.outcome,
                },
            }
            for v in course.visits
        ],
        "instruments": [_instrument(item) for item in course.instruments],
        "adherence": [
            {"week_of": w.starts_on.isoformat(), "prescribed": w.prescribed, "done": w.done, "share": w.share}
            for w in course.adherence
        ],
        "adherence_overall": course.overall_adherence,
        "side_effects": [
            {
                "appointment": r.appointment_id,
                "visit_number": r.visit_number,
                "reported_at": r.reported_at.isoformat(),
                "pain_now": r.pain_now,
                "side_effects": [str(effect) for effect in r.effects],
                "red_flag": r.red_flag,
            }
            for r in course.side_effects
        ],
    }


def _answer(plan: CarePlan) -> Response:
    return Response(course_out(course_for(plan, today=timezone.localdate(timezone=plan.clinic.zone))))


class PatientCourseApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="care_plans_course",
        summary="The course of one of the patient's plans",
        description="Visits done and to come, sessions not booked, scores per measure with the "
        "meaningful-change band, exercise adherence per week, side effects from check-ins.",
        tags=PATIENT_TAGS,
        parameters=[PLAN_ID],
        responses={200: CourseOut, **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.patient_plan(signed_in_patient(request), pk))


class StaffCourseApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        operation_id="staff_care_plans_course",
        summary="The course of a plan of care",
        description="As the patient's course, for a plan the practitioner leads or whose clinic they run.",
        tags=STAFF_TAGS,
        parameters=[PLAN_ID],
        responses={200: CourseOut, **STAFF_ONLY, **NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.staff_plan(signed_in_user(request), pk))
