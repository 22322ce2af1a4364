"""Working hours and time off. A change that would strand booked visits outside working
hours is refused and lists them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking import selectors
from booking.models import (
    Appointment,
    Clinic,
    Practitioner,
    PractitionerEvent,
    TimeOff,
    WorkingHours,
)
from waitlist.services import freeing
from workspace import schedule_rules
from workspace.schedule_rules import Window
from workspace.services.errors import InvalidInput, Stranded

# --- Working hours and time off ---------------------------------------------------------------


def _lock_practitioner(practitioner: Practitioner) -> None:
    Practitioner.objects.select_for_update(no_key=True).filter(pk=practitioner.pk).values("pk").first()


def _upcoming(practitioner: Practitioner, now: datetime) -> Iterable[Appointment]:
    live = Appointment.objects.filter(selectors.live_appointments(now), practitioner=practitioner, end__gt=now)
    return live.select_related("patient", "appointment_type", "clinic").order_by("start")


def set_working_hours(
    practitioner: Practitioner,
    *,
    clinic: Clinic,
    windows: Sequence[Window],
    actor: User,
    now: datetime | None = None,
) -> list[WorkingHours]:
    """Replace the practitioner's weekly hours at one clinic. Refused if windows
    overlap (here or at their other clinics) or a booked visit would fall outside."""
    now = now or timezone.now()
    if not practitioner.clinics.filter(pk=clinic.pk).exists():
        raise InvalidInput(
            {
                "clinic": [
                    _("%(name)s does not work at %(clinic)s.")
                    % {"name": practitioner.display_name, "clinic": clinic.name}
                ]
            }
        )
    with transaction.atomic():
        _lock_practitioner(practitioner)
        current = WorkingHours.objects.filter(practitioner=practitioner)
        others = [Window(h.weekday, h.start, h.end) for h in current.exclude(clinic=clinic)]
        problems = schedule_rules.window_problems(windows, others=others)
        if problems:
            raise InvalidInput({"hours": problems})
        stranded = [
            a
            for a in _upcoming(practitioner, now)
            if a.clinic_id == clinic.pk and not schedule_rules.fits(a.start, a.end, windows, clinic.zone)
        ]
        if stranded:
            raise Stranded(
                _("These booked appointments would fall outside the new hours. Move or cancel them first."), stranded
            )
        old_windows = [(h.weekday, h.start, h.end) for h in current.filter(clinic=clinic)]
        before = [str(Window(*w)) for w in old_windows]
        current.filter(clinic=clinic).delete()
        saved = WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=practitioner, clinic=clinic, weekday=w.weekday, start=w.start, end=w.end)
            for w in sorted(windows)
        )
        PractitionerEvent.objects.create(
            practitioner=practitioner,
            action=PractitionerEvent.Action.HOURS_CHANGED,
            actor=actor,
            data={"clinic": clinic.pk, "before": before, "after": [str(w) for w in sorted(windows)]},
        )
        # Hours added (the next 14 days of them) go to the waitlist, after commit.
        freeing.free_new_hours(
            practitioner,
            clinic=clinic,
            before=old_windows,
            after=[(w.weekday, w.start, w.end) for w in windows],
            now=now,
        )
    return saved


def add_time_off(
    practitioner: Practitioner,
    *,
    start: datetime,
    end: datetime,
    reason: str = "",
    actor: User,
    now: datetime | None = None,
) -> TimeOff:
    now = now or timezone.now()
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise InvalidInput({"start": [_("Give the times with their time zone.")]})
    if end <= start:
        raise InvalidInput({"end": [_("The end must be after the start.")]})
    if end <= now:
        raise InvalidInput({"end": [_("This time off is already over.")]})
    with transaction.atomic():
        _lock_practitioner(practitioner)
        stranded = [a for a in _upcoming(practitioner, now) if schedule_rules.overlaps(a.start, a.end, start, end)]
        if stranded:
            raise Stranded(_("These booked appointments fall in that time off. Move or cancel them first."), stranded)
        time_off = TimeOff.objects.create(practitioner=practitioner, start=start, end=end, reason=reason.strip()[:200])
        PractitionerEvent.objects.create(
            practitioner=practitioner,
            action=PractitionerEvent.Action.TIME_OFF_ADDED,
            actor=actor,
            data={"time_off": time_off.pk, "start": start.isoformat(), "end": end.isoformat()},
        )
    return time_off


def remove_time_off(time_off: TimeOff, *, actor: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        _lock_practitioner(time_off.practitioner)
        PractitionerEvent.objects.create(
            practitioner=time_off.practitioner,
            action=PractitionerEvent.Action.TIME_OFF_REMOVED,
            actor=actor,
            data={"time_off": time_off.pk, "start": time_off.start.isoformat(), "end": time_off.end.isoformat()},
        )
        TimeOff.objects.filter(pk=time_off.pk).delete()
        # The working time it covered (the next 14 days of it) goes to the waitlist, after commit.
        freeing.free_time_off(time_off.practitioner, start=time_off.start, end=time_off.end, now=now)
