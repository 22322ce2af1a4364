"""What the plan-of-care form needs: the patient (only one seen at a clinic where the
practitioner works; anyone else is a 404) and the treatments the practitioner offers there.
care.services.plans.create_plan checks the same again."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Practitioner


def _seen_at(practitioner: Practitioner, patient_id: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(patient_id=patient_id, clinic__in=practitioner.clinics.values("pk"))


def plannable_patient(practitioner: Practitioner, patient_id: int | None) -> Patient:
    if patient_id is None or not _seen_at(practitioner, patient_id).exists():
        raise Http404("No such patient at your clinics")
    return get_object_or_404(Patient.objects.select_related("user"), pk=patient_id)


def plan_treatments(practitioner: Practitioner, patient: Patient) -> list[AppointmentType]:
    """Active treatments the practitioner offers at the clinics that have seen the patient."""
    clinics = _seen_at(practitioner, patient.pk).values("clinic_id")
    found = practitioner.appointment_types.filter(active=True, clinic__in=clinics).select_related("clinic")
    return list(found.order_by("clinic__name", "position", "pk"))
