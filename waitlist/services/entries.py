"""Joining, changing and leaving the waitlist, and the two ways an entry ends by itself:
the patient booked a visit that satisfies it, or its range of days has passed.

Every write locks the patient's row first, so two joins at once cannot both pass the limit
or both add the same wish. Dates are the clinic's local dates (its zone), as patients read
them on the times page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Patient, User
from booking import errors
from booking.models import Appointment, AppointmentType, Practitioner
from booking.selectors import practitioners_offering
from waitlist.models import Entry, PartOfDay, Reach

MAX_WAITING = 5
# A wish may span at most 90 days: clinics open their calendars about two months ahead
# (booking's max_advance_days defaults to 60), so a longer wish would mostly wait for times
# that cannot be offered yet, and a stale entry would keep its place in the queue for months.
MAX_RANGE_DAYS = 90
MAX_NOTICE_MINUTES = 7 * 24 * 60

Status = Entry.Status


class InvalidEntry(errors.BookingError):
    """Bad input, named by field: pages show it next to the field, the API as a 400."""

    code = "invalid"
    status = 400

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in fields.values() for m in messages))
        self.fields = fields


class DuplicateEntry(errors.BookingError):
    code = "duplicate_entry"


class TooManyEntries(errors.BookingError):
    code = "too_many_entries"


class EntryNotWaiting(errors.BookingError):
    code = "entry_not_waiting"


@dataclass(frozen=True)
class EntryInput:
    appointment_type: AppointmentType
    practitioner: Practitioner | None
    first_day: date
    last_day: date
    weekdays: list[int] = field(default_factory=list)
    parts_of_day: list[str] = field(default_factory=list)
    notice_minutes: int = 120
    reach_by: str = Reach.EMAIL


def clinic_today(kind: AppointmentType, now: datetime) -> date:
    return now.astimezone(ZoneInfo(kind.clinic.time_zone)).date()


def _from_today(data: EntryInput, today: date) -> EntryInput:
    """A first day that became yesterday while the form was open (the page offers today, the
    patient sends it after the clinic's midnight) starts today: refusing it would ask the patient
    to fix a mistake they did not make. Anything earlier is still refused by _check."""
    if data.first_day == today - timedelta(days=1):
        return replace(data, first_day=today)
    return data


def _check(patient: Patient, data: EntryInput, *, today: date, keep_first_day: date | None = None) -> None:
    """Every rule at once, so the patient sees all that needs fixing. `keep_first_day`: a
    change may keep an entry's first day even once it has passed."""
    problems: dict[str, list[str]] = {}
    kind = data.appointment_type
    offering = practitioners_offering(kind)
    if not kind.active or not offering.exists():
        problems["appointment_type"] = [_("This treatment cannot be booked online at the moment.")]
    elif data.practitioner is not None and not offering.filter(pk=data.practitioner.pk).exists():
        problems["practitioner"] = [_("This practitioner does not offer this treatment.")]
    if data.first_day < today and data.first_day != keep_first_day:
        problems["first_day"] = [_("Choose today or a later day.")]
    if data.last_day < data.first_day:
        problems["last_day"] = [_("The last day must be on or after the first day.")]
    elif data.last_day > data.first_day + timedelta(days=MAX_RANGE_DAYS):
        problems["last_day"] = [_("The last day can be at most 90 days after the first day.")]
    if any(day not in range(7) for day in data.weekdays) or len(set(data.weekdays)) != len(data.weekdays):
        problems["weekdays"] = [_("Choose each day of the week at most once.")]
    parts = set(PartOfDay.values)
    if any(part not in parts for part in data.parts_of_day) or len(set(data.parts_of_day)) != len(data.parts_of_day):
        problems["parts_of_day"] = [_("Choose each part of the day at most once.")]
    if not 0 <= data.notice_minutes <= MAX_NOTICE_MINUTES:
        problems["notice_minutes"] = [_("The notice can be from none to 7 days.")]
    if data.reach_by not in Reach.values:
        problems["reach_by"] = [_("Choose email or text message.")]
    elif data.reach_by == Reach.SMS and not patient.phone:
        problems["reach_by"] = [_("Add a mobile phone number to your details first, or choose email.")]
    if problems:
        raise InvalidEntry(problems)


def _values(data: EntryInput) -> dict[str, object]:
    return {
        "clinic_id": data.appointment_type.clinic_id,
        "appointment_type": data.appointment_type,
        "practitioner": data.practitioner,
        "first_day": data.first_day,
        "last_day": data.last_day,
        "weekdays": sorted(data.weekdays),
        "parts_of_day": [p for p in PartOfDay.values if p in data.parts_of_day],
        "notice_minutes": data.notice_minutes,
        "reach_by": data.reach_by,
    }


def _same_wish(patient: Patient, values: dict[str, object]) -> Q:
    # JSON lists compare exactly, so both sides are stored sorted (see _values).
    return Q(patient=patient, status=Status.WAITING, **values)


def _lock(patient: Patient) -> Patient:
    return Patient.objects.select_for_update().get(pk=patient.pk)


def join(patient: Patient, *, data: EntryInput, now: datetime | None = None) -> Entry:
    now = now or timezone.now()
    with transaction.atomic():
        patient = _lock(patient)
        today = clinic_today(data.appointment_type, now)
        data = _from_today(data, today)
        _check(patient, data, today=today)
        values = _values(data)
        waiting = Entry.objects.filter(patient=patient, status=Status.WAITING)
        if waiting.filter(_same_wish(patient, values)).exists():
            raise DuplicateEntry(_("You are already on the waitlist for exactly this."))
        if waiting.count() >= MAX_WAITING:
            raise TooManyEntries(
                _("You can be on the waitlist at most %(count)d times at once. Please leave an entry first.")
                % {"count": MAX_WAITING}
            )
        return Entry.objects.create(patient=patient, joined_at=now, **values)


def _waiting(entry: Entry) -> Entry:
    entry = Entry.objects.select_for_update().select_related("clinic").get(pk=entry.pk)
    if entry.status != Status.WAITING:
        raise EntryNotWaiting(_("This waitlist entry has already ended."))
    return entry


def change(entry: Entry, *, data: EntryInput, actor: User, now: datetime | None = None) -> Entry:
    """A new wish in place of the old one; the entry keeps its place in the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        patient = _lock(entry.patient)
        entry = _waiting(entry)
        _check(patient, data, today=clinic_today(data.appointment_type, now), keep_first_day=entry.first_day)
        values = _values(data)
        if Entry.objects.filter(_same_wish(patient, values)).exclude(pk=entry.pk).exists():
            raise DuplicateEntry(_("You are already on the waitlist for exactly this."))
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save(update_fields=[name.removesuffix("_id") for name in values])
        return entry


def leave(entry: Entry, *, actor: User, now: datetime | None = None) -> Entry:
    now = now or timezone.now()
    with transaction.atomic():
        entry = _waiting(entry)
        entry.status = Status.LEFT
        entry.ended_at = now
        entry.save(update_fields=["status", "ended_at"])
        return entry


def end_satisfied(appointment: Appointment, *, now: datetime | None = None) -> int:
    """The patient's waiting entries that this confirmed visit fulfils end as booked: same
    clinic and treatment, any practitioner or this one, its day inside the range. Days and
    parts of the day are preferences, so a visit outside them still fulfils the wish."""
    day = appointment.start.astimezone(ZoneInfo(appointment.clinic.time_zone)).date()
    return Entry.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner=appointment.practitioner_id),
        patient=appointment.patient_id,
        status=Status.WAITING,
        clinic=appointment.clinic_id,
        appointment_type=appointment.appointment_type_id,
        first_day__lte=day,
        last_day__gte=day,
    ).update(status=Status.BOOKED, booked=appointment, ended_at=now or timezone.now())


def end_past(now: datetime | None = None) -> int:
    """Entries whose last day is over in their clinic's zone end. Per clinic, since each
    clinic's midnight comes at its own instant."""
    now = now or timezone.now()
    ended = 0
    waiting = Entry.objects.filter(status=Status.WAITING)
    zones = waiting.values_list("clinic_id", "clinic__time_zone").distinct()
    for clinic_id, zone in zones:
        today = now.astimezone(ZoneInfo(zone)).date()
        ended += waiting.filter(clinic_id=clinic_id, last_day__lt=today).update(status=Status.ENDED, ended_at=now)
    return ended
