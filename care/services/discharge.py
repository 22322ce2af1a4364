"""Discharge: the practitioner closes a plan with a reason, and the summary PDF is made and
kept in the patient's record, all in one transaction (the plan's status, its history rows and
the Discharge row with the PDF and its SHA-256, or none of them).

The goals reasons complete the plan; the patient stopping or being referred on stops it. The
status moves go through care.services.plans.change_status, so the history is written as for any
other move. An on-hold plan cannot move straight to completed (care.plan_status), so closing one
with a goals reason resumes it first: two history rows, both with the discharge as their note."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking import errors
from care import discharge_pdf, discharge_summary
from care.errors import InvalidInput
from care.models import CarePlan, Discharge, DischargeReason, PlanStatus
from care.services.plans import change_status

MAX_NOTE = 2000

CLOSES_AS = {
    DischargeReason.GOALS_MET: PlanStatus.COMPLETED,
    DischargeReason.GOALS_PARTLY_MET: PlanStatus.COMPLETED,
    DischargeReason.GOALS_NOT_MET: PlanStatus.COMPLETED,
    DischargeReason.PATIENT_STOPPED: PlanStatus.STOPPED,
    DischargeReason.REFERRED_ON: PlanStatus.STOPPED,
}
OPEN = (PlanStatus.ACTIVE, PlanStatus.ON_HOLD)


class AlreadyDischarged(errors.BookingError):
    code = "already_discharged"
    status = 409


class NotOpen(errors.BookingError):
    """Only an active or on-hold plan is discharged: a proposed one is stopped instead."""

    code = "plan_not_open"
    status = 409


def _input_errors(reason: str, note: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if reason not in DischargeReason.values:
        fields["reason"] = [_("Choose a reason from the list.")]
    if len(note) > MAX_NOTE:
        fields["note"] = [_("Keep the note to %(n)s characters at most.") % {"n": MAX_NOTE}]
    return fields


def patient_language(plan: CarePlan) -> str:
    """The patient's chosen language; one not chosen yet is the site's default."""
    return plan.patient.user.language or settings.LANGUAGE_CODE


def discharge_plan(plan: CarePlan, *, reason: str, note: str, by: User, now: datetime | None = None) -> Discharge:
    """Close `plan` with `reason` and keep its summary. The caller has checked that `by` may
    see the plan (care.selectors.plans.staff_plan)."""
    now = now or timezone.now()
    note = note.strip()
    fields = _input_errors(reason, note)
    if fields:
        raise InvalidInput(fields)
    with transaction.atomic():
        # The lock makes a second discharge at the same moment wait, then find the first one.
        locked = CarePlan.objects.select_for_update().select_related("patient__user", "practitioner", "clinic")
        current = locked.get(pk=plan.pk)
        if Discharge.objects.filter(plan=current).exists():
            raise AlreadyDischarged(_("This plan has already been discharged."))
        if current.status not in OPEN:
            raise NotOpen(
                _('The plan\'s status is "%(status)s": only an active or on-hold plan can be discharged.')
                % {"status": PlanStatus(current.status).label}
            )
        history_note = _("Discharged: %(reason)s") % {"reason": DischargeReason(reason).label}
        to = CLOSES_AS[DischargeReason(reason)]
        if current.status == PlanStatus.ON_HOLD and to == PlanStatus.COMPLETED:
            change_status(plan=current, to=PlanStatus.ACTIVE, by=by, note=history_note)
        change_status(plan=current, to=to, by=by, note=history_note)
        language = patient_language(current)
        summary = discharge_summary.gather(current, reason=reason, note=note, at=now, language=language)
        pdf = discharge_pdf.discharge_pdf(summary)
        return Discharge.objects.create(
            plan=current,
            reason=reason,
            note=note,
            by=by,
            at=now,
            summary_pdf=pdf,
            summary_sha256=hashlib.sha256(pdf).hexdigest(),
            language=language,
        )
