"""Shapes of the series-booking API: the choice (weekday and time of day), the proposal with
its moved visits and why, and the booked series. Times are ISO 8601 with the clinic's offset."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from care.models import CourseVisit
from care.services.series import Booked, Proposal
from core.rest import StrictBooleanField, StrictIntegerField

CONSENT_MODES = [
    ("none", "The treatment involves no needling: every visit is confirmed at once."),
    ("covered", "The patient's consent covers every visit once they confirm nothing changed in their health."),
    ("first_visit", "No consent covers the course yet: only the first visit is held, for the consent steps."),
]


class ChoiceIn(serializers.Serializer[Any]):
    weekday = StrictIntegerField(min_value=0, max_value=6, help_text="0 = Monday ... 6 = Sunday.")
    time = serializers.TimeField(help_text="The time of day in the clinic's zone, e.g. `14:00`.")


class BookIn(ChoiceIn):
    starts = serializers.ListField(
        child=serializers.DateTimeField(),
        required=False,
        max_length=20,
        help_text=(
            "The proposal's starts as shown to the patient. When the free times have changed since, "
            "nothing is booked and the answer is 409 `series_changed`: ask for a new proposal."
        ),
    )
    health_unchanged = StrictBooleanField(
        default=False,
        help_text="For needling covered by an existing consent: nothing has changed in the patient's health since.",
    )


class ProposedVisitOut(serializers.Serializer[Any]):
    number = serializers.IntegerField(help_text="The session's number in the plan.")
    start = serializers.DateTimeField(allow_null=True, help_text="Null when no free time fits the plan's spacing.")
    moved = serializers.ChoiceField(choices=CourseVisit.Moved.choices, allow_blank=True)
    reason = serializers.CharField(allow_blank=True, help_text="Why it moved, in the caller's language.")


class ProposalOut(serializers.Serializer[Any]):
    plan = serializers.IntegerField()
    weekday = serializers.IntegerField()
    time = serializers.TimeField()
    complete = serializers.BooleanField(help_text="False when a session has no free time: it cannot be booked.")
    consent = serializers.ChoiceField(choices=CONSENT_MODES)
    consent_since = serializers.DateField(allow_null=True, help_text="The covering consent's date.")
    visits = ProposedVisitOut(many=True)


class BookedVisitOut(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    appointment = serializers.IntegerField()
    start = serializers.DateTimeField()
    status = serializers.CharField()
    moved = serializers.ChoiceField(choices=CourseVisit.Moved.choices, allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class BookedOut(serializers.Serializer[Any]):
    visits = BookedVisitOut(many=True)
    needs_consent = serializers.IntegerField(
        allow_null=True, help_text="The held first visit to screen and sign for (consent `first_visit`), else null."
    )


def proposal_out(proposal: Proposal, zone: Any) -> dict[str, Any]:
    return {
        "plan": proposal.plan_id,
        "weekday": proposal.weekday,
        "time": proposal.time_of_day,
        "complete": proposal.complete,
        "consent": proposal.consent,
        "consent_since": proposal.consent_since,
        "visits": [
            {
                "number": v.number,
                "start": v.start.astimezone(zone) if v.start else None,
                "moved": v.moved,
                "reason": v.reason,
            }
            for v in proposal.visits
        ],
    }


def booked_out(booked: Booked, zone: Any) -> dict[str, Any]:
    return {
        "visits": [
            {
                "number": v.number,
                "appointment": v.appointment_id,
                "start": v.appointment.start.astimezone(zone),
                "status": v.appointment.status,
                "moved": v.moved,
                "reason": v.moved_reason,
            }
            for v in booked.visits
        ],
        "needs_consent": booked.needs_consent.pk if booked.needs_consent else None,
    }
