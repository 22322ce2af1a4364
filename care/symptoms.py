"""A patient's check-in after a session: pain now and any side effects.

A red flag (breathlessness or chest pain: a possible collapsed lung) is recorded on
the report and announced with appointment_changed(RED_FLAG) inside the same
transaction, so the practitioner's alert is written with the report or not at all."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from booking import errors
from booking.models import RED_FLAGS, Appointment, SideEffect, SymptomReport
from booking.signals import Change, appointment_changed

Status = Appointment.Status
# A check-in is about a visit that happened, or should have.
CHECKABLE = (Status.CONFIRMED, Status.COMPLETED)

EMERGENCY_ADVICE = _(
    "Breathlessness, pain when breathing in or new chest pain after needling near the neck, shoulder, "
    "upper back or chest can mean a collapsed lung. Get emergency care now: call emergency services. "
    "We have told your practitioner."
)


class InvalidReport(errors.BookingError):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def record_symptoms(
    appointment: Appointment,
    *,
    pain_now: int,
    side_effects: Iterable[str],
    notes: str = "",
    actor: User | None = None,
) -> SymptomReport:
    if not 0 <= pain_now <= 10:
        raise InvalidReport(gettext("Pain is a whole number from 0 to 10."), field="pain_now")
    try:
        effects = sorted({SideEffect(value) for value in side_effects})
    except ValueError:
        raise InvalidReport(gettext("Choose side effects from the list."), field="side_effects") from None
    with transaction.atomic():
        appt = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appt.status not in CHECKABLE or appt.start > timezone.now():
            raise errors.InvalidTransition(gettext("Symptoms can be reported only after a visit that took place."))
        report = SymptomReport.objects.create(
            appointment=appt,
            pain_now=pain_now,
            side_effects=[str(effect) for effect in effects],
            notes=notes.strip()[:2000],
            red_flag=any(effect in RED_FLAGS for effect in effects),
        )
        if report.red_flag:
            appointment_changed.send(
                sender=SymptomReport, appointment=appt, change=Change.RED_FLAG, actor=actor, report=report
            )
    return report
