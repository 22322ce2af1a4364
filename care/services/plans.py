"""Plans of care: a practitioner proposes a course for a patient after an assessment, and moves
it through its statuses (care/plan_status.py), each move leaving a CarePlanStatusChange row.

Every refusal of the input is an InvalidInput naming its field, for the API's 400."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Patient, User
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from care import plan_status
from care.errors import InvalidInput, NotAPractitioner
from care.models import SESSIONS, SPACING_DAYS, BodyRegion, CarePlan, CarePlanStatusChange, PlanStatus
from care.selectors.instruments import instrument_for, known_codes

MAX_GOAL_LENGTH = 200


@dataclass(frozen=True)
class PlanInput:
    problem: str
    body_region: str
    goals: Sequence[str]
    sessions_planned: int
    spacing_days: int
    measures: Sequence[str]
    review_on: date


def _between(value: int, bounds: tuple[int, int]) -> list[str]:
    low, high = bounds
    if low <= value <= high:
        return []
    return [_("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}]


def _measure_errors(measures: Sequence[str], clinic: Clinic) -> list[str]:
    # The built-in instruments and the clinic's own active ones (care.selectors.instruments).
    known = known_codes(clinic)
    unknown = [code for code in measures if code not in known]
    if unknown:
        return [_("Unknown outcome measure: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if len(set(measures)) != len(measures):
        return [_("Each outcome measure once, please.")]
    return []


def _goal_errors(goals: Sequence[str], measures: Sequence[str], clinic: Clinic) -> list[str]:
    if any(not goal.strip() or len(goal) > MAX_GOAL_LENGTH for goal in goals):
        return [_("Each goal is an activity in a few words (at most %(n)s characters).") % {"n": MAX_GOAL_LENGTH}]
    for code in measures:
        instrument = instrument_for(clinic, code)
        named = instrument.patient_named
        if named is not None and not named.fewest <= len(goals) <= named.most:
            return [
                ngettext(
                    "%(measure)s needs %(fewest)s to %(most)s activities; you gave %(n)s.",
                    "%(measure)s needs %(fewest)s to %(most)s activities; you gave %(n)s.",
                    len(goals),
                )
                % {"measure": instrument.name, "fewest": named.fewest, "most": named.most, "n": len(goals)}
            ]
    return []


def _input_errors(data: PlanInput, clinic: Clinic) -> dict[str, list[str]]:
    fields = {
        "problem": [] if data.problem.strip() else [_("Describe the problem.")],
        "body_region": [] if data.body_region in BodyRegion.values else [_("Choose a body region from the list.")],
        "measures": _measure_errors(data.measures, clinic),
        "sessions_planned": _between(data.sessions_planned, SESSIONS),
        "spacing_days": _between(data.spacing_days, SPACING_DAYS),
        "review_on": [] if data.review_on >= timezone.localdate() else [_("The review date cannot be in the past.")],
    }
    if not fields["measures"]:
        fields["goals"] = _goal_errors(data.goals, data.measures, clinic)
    return {name: messages for name, messages in fields.items() if messages}


def _place_errors(
    practitioner: Practitioner, patient: Patient, clinic: Clinic, appointment_type: AppointmentType
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if not practitioner.clinics.filter(pk=clinic.pk).exists():
        fields["clinic"] = [_("You do not work at this clinic.")]
    elif (
        appointment_type.clinic_id != clinic.pk
        or not practitioner.appointment_types.filter(pk=appointment_type.pk).exists()
    ):
        fields["appointment_type"] = [_("You do not offer this treatment at this clinic.")]
    # The plan follows an assessment: a patient the clinic has never seen is not one to plan for.
    if not Appointment.objects.filter(patient=patient, clinic=clinic).exists():
        fields["patient"] = [_("No such patient at this clinic.")]
    return fields


@transaction.atomic
def create_plan(
    *,
    practitioner_user: User,
    patient: Patient,
    clinic: Clinic,
    appointment_type: AppointmentType,
    data: PlanInput,
) -> CarePlan:
    """A proposed plan for `patient`, by the practitioner signed in as `practitioner_user`."""
    practitioner = Practitioner.objects.filter(user=practitioner_user).first()
    if practitioner is None:
        raise NotAPractitioner(_("Only a practitioner can propose a plan of care."))
    fields = {**_place_errors(practitioner, patient, clinic, appointment_type), **_input_errors(data, clinic)}
    if fields:
        raise InvalidInput(fields)
    return CarePlan.objects.create(
        patient=patient,
        practitioner=practitioner,
        clinic=clinic,
        appointment_type=appointment_type,
        problem=data.problem.strip(),
        body_region=data.body_region,
        goals=[goal.strip() for goal in data.goals],
        sessions_planned=data.sessions_planned,
        spacing_days=data.spacing_days,
        measures=list(data.measures),
        review_on=data.review_on,
        status=PlanStatus.PROPOSED,
        created_by=practitioner_user,
    )


@transaction.atomic
def change_status(*, plan: CarePlan, to: str, by: User, note: str = "") -> CarePlan:
    """Move `plan` to status `to`, with the history row in the same transaction. The plan is
    locked first, so two changes at once cannot both start from the same status."""
    locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if not plan_status.can_move(locked.status, to):
        message = _('The plan\'s status is "%(status)s": it cannot move to "%(to)s".') % {
            "status": _label(locked.status),
            "to": _label(to),
        }
        raise InvalidInput({"to": [message]})
    CarePlanStatusChange.objects.create(
        plan=locked, from_status=locked.status, to_status=to, by=by, at=timezone.now(), note=note.strip()
    )
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _label(status: str) -> str:
    return str(PlanStatus(status).label) if status in PlanStatus.values else status
