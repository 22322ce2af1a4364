"""Who is calling, and which Acus appointments they may see and change.

A patient (their own token) sees their own appointments. A client key sees only appointments of
its own clinic that were held or booked through that key: the audit (ClientCall) is the record of
that, so no new column is needed, and a key never reaches a visit the patient booked on the web or
through another client. Anything else is a 404, never a 403, so ids reveal nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Patient, User
from booking.models import Appointment
from interop.models import ClientCall, ClientKey

# The audit's names for the calls that make an appointment a key's own (interop.api.operations).
BOOKING_INTERACTIONS = ("Appointment/$hold", "Appointment/$book")


@dataclass(frozen=True)
class Caller:
    patient: Patient | None = None
    key: ClientKey | None = None

    @property
    def user(self) -> User | None:
        return self.patient.user if self.patient is not None else None


def booked_through(key: ClientKey) -> QuerySet[Appointment]:
    ids = (
        ClientCall.objects.filter(client_key=key, interaction__in=BOOKING_INTERACTIONS, status__lt=300)
        .exclude(resource_id="")
        .values_list("resource_id", flat=True)
    )
    return Appointment.objects.filter(clinic=key.clinic_id, pk__in=[int(i) for i in ids if i.isdigit()])


def visible_appointments(caller: Caller) -> QuerySet[Appointment]:
    if caller.key is not None:
        found = booked_through(caller.key)
    elif caller.patient is not None:
        found = Appointment.objects.filter(patient=caller.patient)
    else:
        found = Appointment.objects.none()
    return found.select_related("clinic", "appointment_type", "practitioner", "patient__user")


def appointment_for(caller: Caller, pk: int) -> Appointment:
    found = visible_appointments(caller).filter(pk=pk).first()
    if found is None:
        raise Http404("No such appointment")
    return found
