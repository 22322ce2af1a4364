"""Reads for the FHIR endpoint: what a caller may see, and the free slots of many schedules in a
fixed number of queries.

Who sees what: a client key sees its own clinic only (another clinic's row is "not found", never
"forbidden"); a patient sees every clinic's catalogue and their own appointments alone. A key
with appointments:book sees its clinic's appointments that it booked ($hold or $book calls in
the ClientCall audit naming the appointment) or that are for a patient it booked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from booking.selectors import load_schedules, slots_for_practitioner
from interop.ids import SlotKey
from interop.models import ClientCall, ClientKey

# The audit's names for the calls that book (interop.api: each view's `interaction`).
BOOKING_INTERACTIONS = ("Appointment/$hold", "Appointment/$book")


@dataclass(frozen=True)
class Caller:
    key: ClientKey | None = None
    patient: Patient | None = None


def clinics(caller: Caller) -> QuerySet[Clinic]:
    return Clinic.objects.filter(pk=caller.key.clinic_id) if caller.key else Clinic.objects.all()


def practitioners(caller: Caller) -> QuerySet[Practitioner]:
    found = Practitioner.objects.filter(clinics__in=clinics(caller)).distinct()
    return found.order_by("id")


def treatments(caller: Caller) -> QuerySet[AppointmentType]:
    return AppointmentType.objects.filter(clinic__in=clinics(caller)).select_related("clinic").order_by("id")


@dataclass(frozen=True)
class ScheduleRow:
    practitioner: Practitioner
    treatment: AppointmentType

    @property
    def clinic(self) -> Clinic:
        return self.treatment.clinic


def schedules(caller: Caller, *, practitioner_ids: list[int] | None = None) -> QuerySet[AppointmentType]:
    """Treatments with the practitioners who offer them at the treatment's clinic (prefetched):
    each pair is a Schedule. A practitioner offering a treatment at a clinic they left is none."""
    offered = Practitioner.objects.order_by("id")
    if practitioner_ids is not None:
        offered = offered.filter(pk__in=practitioner_ids)
    return treatments(caller).prefetch_related(Prefetch("practitioners", queryset=offered.prefetch_related("clinics")))


def schedule_rows(types: QuerySet[AppointmentType]) -> list[ScheduleRow]:
    return [
        ScheduleRow(p, t)
        for t in types
        for p in t.practitioners.all()
        if any(c.pk == t.clinic_id for c in p.clinics.all())
    ]


def free_slots(
    rows: list[ScheduleRow], *, start: datetime, end: datetime, now: datetime
) -> list[tuple[SlotKey, datetime, AppointmentType]]:
    """The free slots of every schedule in `rows` between `start` and `end`, as the booking engine
    offers them one practitioner at a time (booking.selectors.available_slots with a practitioner):
    an inactive practitioner or treatment offers none. The practitioners' schedules are loaded once
    per clinic, so the queries do not grow with the number of schedules."""
    found: list[tuple[SlotKey, datetime, AppointmentType]] = []
    by_clinic: dict[int, list[ScheduleRow]] = {}
    for row in rows:
        if row.practitioner.active and row.treatment.active:
            by_clinic.setdefault(row.treatment.clinic_id, []).append(row)
    for clinic_rows in by_clinic.values():
        clinic = clinic_rows[0].clinic
        loaded = load_schedules(
            clinic=clinic, practitioner_ids={r.practitioner.pk for r in clinic_rows}, start=start, end=end, now=now
        )
        for row in clinic_rows:
            for slot in slots_for_practitioner(
                appointment_type=row.treatment, schedule=loaded[row.practitioner.pk], start=start, end=end, now=now
            ):
                key = SlotKey(row.practitioner.pk, row.treatment.pk, slot.start)
                found.append((key, slot.end, row.treatment))
    found.sort(key=lambda s: (s[0].start, s[0].practitioner_id, s[0].appointment_type_id))
    return found


def slot_is_free(row: ScheduleRow, start: datetime, *, now: datetime) -> datetime | None:
    """The end of the slot at `start` on this schedule, when it is free now."""
    for key, end, _type in free_slots([row], start=start, end=start + timedelta(minutes=1), now=now):
        if key.start == start:
            return end
    return None


def appointments(caller: Caller) -> QuerySet[Appointment]:
    found = Appointment.objects.select_related("appointment_type__clinic").order_by("start", "id")
    if caller.patient is not None:
        return found.filter(patient=caller.patient)
    if caller.key is None:
        return found.none()
    booked = [
        int(pk)
        for pk in ClientCall.objects.filter(
            client_key=caller.key, interaction__in=BOOKING_INTERACTIONS, status__gte=200, status__lt=300
        ).values_list("resource_id", flat=True)
        if pk.isdigit()
    ]
    patients = Appointment.objects.filter(pk__in=booked, clinic_id=caller.key.clinic_id).values("patient_id")
    return found.filter(Q(pk__in=booked) | Q(patient_id__in=patients), clinic_id=caller.key.clinic_id)
