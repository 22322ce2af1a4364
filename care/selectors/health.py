"""Reads for "has anything changed in your health since <date>?" before a later visit of a course.

Which visits ask it: a live (confirmed) needling visit of a course that is not the course's first
(the first is screened and signed in the booking flow), in the future, from ANSWER_OPENS before
its start until it starts, answered once. `since` is the day of the last screening the patient
answered for the clinic (the one their consent rests on, or the last re-screen), in the clinic's
zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient
from booking import errors
from booking.models import Appointment
from care.models import CourseVisit, HealthChangeAnswer
from consent import selectors as consent_selectors

# Three days: the pre-visit message goes out a day or two before, and answers much older than
# the visit would no longer say how the patient is on the day.
ANSWER_OPENS = timedelta(days=3)


class NotALaterCourseVisit(errors.BookingError):
    code = "not_a_later_course_visit"
    status = 409


class NotOpen(errors.BookingError):
    code = "health_change_not_open"
    status = 409


class AlreadyAnswered(errors.BookingError):
    code = "health_change_answered"
    status = 409


def later_course_visit(appointment: Appointment) -> CourseVisit | None:
    """The course visit of a needling appointment that has an earlier visit in its plan."""
    if not appointment.appointment_type.involves_needling:
        return None
    visit = CourseVisit.objects.select_related("plan").filter(appointment=appointment).first()
    if visit is None:
        return None
    earlier = (
        CourseVisit.objects.filter(plan_id=visit.plan_id)
        .exclude(pk=visit.pk)
        .filter(Q(number__lt=visit.number) | Q(appointment__start__lt=appointment.start))
    )
    return visit if earlier.exists() else None


def answer_of(appointment: Appointment) -> HealthChangeAnswer | None:
    return (
        HealthChangeAnswer.objects.select_related("screening", "screening__questionnaire_version")
        .filter(appointment=appointment)
        .first()
    )


def since(patient: Patient, appointment: Appointment) -> date:
    """The day of the patient's last screening at the clinic, in its zone (their consent's
    signing day if, oddly, none is found)."""
    zone = appointment.clinic.zone
    last = consent_selectors.latest_screening(patient, scope=appointment.clinic.slug)
    if last is not None:
        return last.created_at.astimezone(zone).date()
    if appointment.consent is not None:
        return appointment.consent.signed_at.astimezone(zone).date()
    return appointment.created_at.astimezone(zone).date()


def opens_at(appointment: Appointment) -> datetime:
    return appointment.start - ANSWER_OPENS


def refusal(appointment: Appointment, now: datetime) -> errors.BookingError | None:
    """Why the question cannot be answered for this visit now, or None when it can."""
    if later_course_visit(appointment) is None:
        return NotALaterCourseVisit(
            _("This question is asked only before a later visit of a course of needling sessions.")
        )
    # Answered first: an answer that cancelled the visit must not read as "not open" on a retry.
    if HealthChangeAnswer.objects.filter(appointment=appointment).exists():
        return AlreadyAnswered(_("You have already answered this question for this visit."))
    if appointment.status != Appointment.Status.CONFIRMED or appointment.start <= now:
        return NotOpen(_("This visit is not one you can answer this question for now."), code="invalid_status")
    if now < opens_at(appointment):
        return NotOpen(_("You can answer this question from three days before your visit."))
    return None


def needs_health_check(appointment: Appointment, now: datetime | None = None) -> bool:
    """For the course page and the pre-visit message: link to care:health-change when True."""
    return refusal(appointment, now or timezone.now()) is None


@dataclass(frozen=True)
class HealthQuestion:
    """What the patient's page and API show for one visit."""

    appointment: Appointment
    visit: CourseVisit | None
    since: date
    answer: HealthChangeAnswer | None
    refusal: errors.BookingError | None

    @property
    def asked(self) -> bool:
        return self.refusal is None


def health_question(patient: Patient, appointment: Appointment, now: datetime | None = None) -> HealthQuestion:
    now = now or timezone.now()
    return HealthQuestion(
        appointment=appointment,
        visit=later_course_visit(appointment),
        since=since(patient, appointment),
        answer=answer_of(appointment),
        refusal=refusal(appointment, now),
    )


def later_live_visits(visit: CourseVisit, now: datetime) -> list[Appointment]:
    """This visit and the course's live needling visits after it, in order (the ones a new
    screening can flag or block); earlier visits are left alone."""
    return list(
        Appointment.objects.filter(
            course_visit__plan_id=visit.plan_id,
            status__in=Appointment.LIVE,
            start__gte=visit.appointment.start,
            start__gt=now,
            appointment_type__involves_needling=True,
        ).order_by("start", "pk")
    )
