"""The answer to "has anything changed in your health since <date>?" before a later visit of a course.

No -> stored as unchanged; the visit stays as it is. Yes -> the clinic's current health questions
are answered again (booking.consent_flow.screen: the booking flow's own screening) and:

- clear: the visit stays confirmed; the consent still covers it.
- review: a change that flags review needs a new consent (FACTS.md section 3, re-consent
  triggers), so the consent ends (HEALTH_CHANGED, as confirm_with_existing_consent does), and this
  visit and the rest of the course's future visits carry the new answers and wait in the
  practitioner's review queue (decide_review); the patient signs again.
- blocked: this visit and the rest of the course's future needling visits are cancelled (the
  patient is told by the usual cancellation message), the consent ends and the plan goes on hold.

Earlier visits are never touched. One answer per visit: a second one is refused (409)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient
from booking import consent_documents, consent_flow, errors
from booking.models import Appointment
from booking.services.locks import lock_patient
from care import plan_status
from care.errors import InvalidInput
from care.models import CarePlan, CourseVisit, HealthChangeAnswer, PlanStatus
from care.selectors import health as selectors
from care.services.plans import change_status
from consent import services as consent_services
from consent.models import ConsentWithdrawal, Outcome, ScreeningResponse

Result = HealthChangeAnswer.Outcome
_OUTCOME = {Outcome.CLEAR: Result.CLEAR, Outcome.REVIEW: Result.REVIEW, Outcome.BLOCK: Result.BLOCKED}


class NotReady(errors.BookingError):
    code = "not_ready"
    status = 409


def _locked_own(patient: Patient, appointment_id: int) -> Appointment:
    """The patient's own appointment, locked so that two answers at once cannot both pass."""
    found = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("clinic", "appointment_type", "practitioner", "consent")
        .filter(pk=appointment_id, patient=patient)
        .first()
    )
    if found is None:
        raise errors.BookingError(_("Unknown appointment."), code="not_found")
    return found


def _not_found_is_404(exc: errors.BookingError) -> errors.BookingError:
    if exc.code == "not_found":
        exc.status = 404
    return exc


def answer_health_change(
    patient: Patient,
    *,
    appointment_id: int,
    changed: bool,
    answers: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> HealthChangeAnswer:
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Booking's locking order (the patient, then appointments): the answer may move or
            # cancel several of the patient's visits, as a reschedule or a cancellation would.
            lock_patient(patient.pk)
            appointment = _locked_own(patient, appointment_id)
            refusal = selectors.refusal(appointment, now)
            if refusal is not None:
                raise refusal
            if changed and not answers:
                raise InvalidInput({"answers": [_("Please answer the health questions.")]})
            visit = selectors.later_course_visit(appointment)
            assert visit is not None  # refusal() checked it
            since = selectors.since(patient, appointment)
            if not changed:
                return _store(appointment, visit, since=since, outcome=Result.UNCHANGED, screening=None, now=now)
            screening = _screen(patient, appointment, answers or {})
            outcome = _OUTCOME[Outcome(screening.outcome)]
            if outcome == Result.REVIEW:
                _send_course_for_review(visit, appointment, screening, patient=patient, now=now)
            elif outcome == Result.BLOCKED:
                _stop_course(visit, appointment, screening, patient=patient, now=now)
            return _store(appointment, visit, since=since, outcome=outcome, screening=screening, now=now)
    except errors.BookingError as exc:
        raise _not_found_is_404(exc) from None
    except IntegrityError:
        # The one-to-one row: an answer that slipped in between the check and the insert.
        raise selectors.AlreadyAnswered(_("You have already answered this question for this visit.")) from None


def _store(
    appointment: Appointment,
    visit: CourseVisit,
    *,
    since: Any,
    outcome: str,
    screening: ScreeningResponse | None,
    now: datetime,
) -> HealthChangeAnswer:
    with transaction.atomic():
        return HealthChangeAnswer.objects.create(
            appointment=appointment,
            plan=visit.plan,
            since=since,
            changed=outcome != Result.UNCHANGED,
            outcome=outcome,
            screening=screening,
            answered_by=appointment.patient.user,
            answered_at=now,
        )


def _screen(patient: Patient, appointment: Appointment, answers: dict[str, Any]) -> ScreeningResponse:
    """The clinic's current questions, in the patient's language as the booking flow shows them."""
    offered = consent_documents.offered_questionnaire(patient, appointment.clinic)
    if offered is None:
        raise NotReady(_("The clinic has not published its health questions yet. Please call the clinic."))
    try:
        return consent_flow.screen(
            patient,
            questionnaire=offered.source,
            answers=answers,
            clinic=appointment.clinic,
            visit_day=appointment.start.astimezone(appointment.clinic.zone).date(),
            translation=offered.translation,
        )
    except consent_services.ConsentError as exc:
        raise InvalidInput(exc.fields) from None


def _end_live_consent(appointment: Appointment, *, patient: Patient) -> None:
    consent = appointment.consent
    if consent is None or ConsentWithdrawal.objects.filter(consent=consent).exists():
        return
    consent_flow.end_for_health_change(
        consent, by=patient.user, note="The patient reported a change in health before a later visit of a course."
    )


def _send_course_for_review(
    visit: CourseVisit, appointment: Appointment, screening: ScreeningResponse, *, patient: Patient, now: datetime
) -> None:
    _end_live_consent(appointment, patient=patient)
    for appt in selectors.later_live_visits(visit, now):
        if appt.status != Appointment.Status.HELD:  # a hold runs out on its own; it was never promised
            consent_flow.send_for_review_with(appt, screening=screening, actor=patient.user)


def _stop_course(
    visit: CourseVisit, appointment: Appointment, screening: ScreeningResponse, *, patient: Patient, now: datetime
) -> None:
    reason = _("Your new health answers mean dry needling is not safe for you now, so the clinic cannot go ahead.")
    for appt in selectors.later_live_visits(visit, now):
        consent_flow.cancel_as_unsafe(appt, actor=patient.user, reason=reason, screening=screening)
    _end_live_consent(appointment, patient=patient)
    _put_on_hold(visit.plan, patient=patient)


def _put_on_hold(plan: CarePlan, *, patient: Patient) -> None:
    if plan_status.can_move(plan.status, PlanStatus.ON_HOLD):
        change_status(
            plan=plan,
            to=PlanStatus.ON_HOLD,
            by=patient.user,
            note="On hold: the patient's new health answers before a visit mean needling is not safe now.",
        )
