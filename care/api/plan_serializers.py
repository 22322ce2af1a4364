"""Input and output shapes of the plans-of-care API. Times are ISO 8601 with the clinic's
offset, as in the rest of the staff API. Bodies are read with core.rest's
JSON-strict fields: "5" is not a number of sessions, 1 is not a status."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from care.builtin_instruments import BUILT_IN
from care.models import BodyRegion, CarePlan, PlanStatus
from care.selectors.instruments import UnknownInstrument, instrument_for
from care.services.plans import MAX_GOAL_LENGTH
from core.rest import StrictCharField, StrictIntegerField


class PlanIn(serializers.Serializer[Any]):
    patient = StrictIntegerField(help_text="The patient's id; they must have had a visit at the clinic.")
    clinic = StrictIntegerField(help_text="A clinic the practitioner works at.")
    appointment_type = StrictIntegerField(
        help_text="The treatment for the course's visits, offered by the practitioner."
    )
    problem = StrictCharField(max_length=2000)
    body_region = serializers.ChoiceField(choices=BodyRegion.choices)
    goals = serializers.ListField(
        child=StrictCharField(max_length=MAX_GOAL_LENGTH),
        max_length=10,
        default=list,
        help_text="Activities in the patient's words; each is a PSFS activity (3 to 5 when PSFS is tracked).",
    )
    sessions_planned = StrictIntegerField(min_value=1, max_value=20)
    spacing_days = StrictIntegerField(min_value=1, max_value=60, help_text="Days between sessions.")
    measures = serializers.ListField(
        child=StrictCharField(max_length=40),
        max_length=10,
        default=list,
        help_text="Codes of the outcome measures to track: `nprs`, `psfs`.",
    )
    review_on = serializers.DateField(help_text="When to review progress; today or later.")


class StatusIn(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=PlanStatus.choices, help_text="The status to move the plan to.")
    note = StrictCharField(max_length=1000, allow_blank=True, default="")


# DRF reads query strings as an HTML form, where an empty optional field counts as not sent;
# here `?status=` is checked (and refused) like any other value.
class _QueryInteger(serializers.IntegerField):
    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class _QueryChoice(serializers.ChoiceField):
    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class StaffPlanQuery(serializers.Serializer[Any]):
    patient = _QueryInteger(required=False, help_text="Only this patient's plans.")
    status = _QueryChoice(choices=PlanStatus.choices, required=False, help_text="Only plans in this status.")


class NamedOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeasureOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="The instrument's name in the caller's language.")


class StatusChangeOut(serializers.Serializer[Any]):
    from_status = serializers.ChoiceField(choices=PlanStatus.choices)
    to_status = serializers.ChoiceField(choices=PlanStatus.choices)
    by = serializers.CharField(help_text="Who changed it (their e-mail address).")
    at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)


class PatientPlanOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    problem = serializers.CharField()
    body_region = serializers.ChoiceField(choices=BodyRegion.choices)
    body_region_name = serializers.CharField()
    goals = serializers.ListField(child=serializers.CharField())
    sessions_planned = serializers.IntegerField()
    spacing_days = serializers.IntegerField()
    measures = MeasureOut(many=True)
    review_on = serializers.DateField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    status_name = serializers.CharField()
    practitioner = NamedOut()
    clinic = NamedOut()
    appointment_type = NamedOut()


class StaffPlanOut(PatientPlanOut):
    patient = NamedOut()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(help_text="Who proposed it (their e-mail address).")
    updated_at = serializers.DateTimeField()


class StaffPlanDetailOut(StaffPlanOut):
    status_changes = StatusChangeOut(many=True)


def _measure(plan: CarePlan, code: str) -> dict[str, str]:
    """A measure's code and name; a clinic's own instrument costs a query, a built-in one none."""
    if code in BUILT_IN:
        return {"code": code, "name": str(BUILT_IN[code].name)}
    try:
        return {"code": code, "name": str(instrument_for(plan.clinic, code).name)}
    except UnknownInstrument:
        return {"code": code, "name": code}


def patient_plan_out(plan: CarePlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "problem": plan.problem,
        "body_region": plan.body_region,
        "body_region_name": str(BodyRegion(plan.body_region).label),
        "goals": list(plan.goals),
        "sessions_planned": plan.sessions_planned,
        "spacing_days": plan.spacing_days,
        "measures": [_measure(plan, code) for code in plan.measures],
        "review_on": plan.review_on,
        "status": plan.status,
        "status_name": str(PlanStatus(plan.status).label),
        "practitioner": {"id": plan.practitioner_id, "name": plan.practitioner.display_name},
        "clinic": {"id": plan.clinic_id, "name": plan.clinic.name},
        "appointment_type": {"id": plan.appointment_type_id, "name": plan.appointment_type.shown_name},
    }


def staff_plan_out(plan: CarePlan) -> dict[str, Any]:
    patient = plan.patient
    return {
        **patient_plan_out(plan),
        "patient": {"id": patient.pk, "name": patient.legal_name or patient.display_name},
        "created_at": plan.created_at.astimezone(plan.clinic.zone),
        "created_by": plan.created_by.email,
        "updated_at": plan.updated_at.astimezone(plan.clinic.zone),
    }


def staff_plan_detail_out(plan: CarePlan) -> dict[str, Any]:
    zone = plan.clinic.zone
    changes = [
        {
            "from_status": c.from_status,
            "to_status": c.to_status,
            "by": c.by.email,
            "at": c.at.astimezone(zone),
            "note": c.note,
        }
        for c in plan.status_changes.all()
    ]
    return {**staff_plan_out(plan), "status_changes": changes}
