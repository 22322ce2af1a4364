"""Which plans of care a person may see. A patient sees their own; a practitioner the plans
they lead; a clinic admin every plan at the clinics they run (the same rule as appointments in
workspace.selectors.visibility). Anyone else's plan is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Patient, User
from booking.models import Clinic
from care.models import CarePlan

RELATED = ("patient__user", "practitioner", "clinic", "appointment_type")


def patient_plans(patient: Patient) -> QuerySet[CarePlan]:
    return CarePlan.objects.filter(patient=patient).select_related(*RELATED)


def patient_plan(patient: Patient, pk: int) -> CarePlan:
    return get_object_or_404(patient_plans(patient), pk=pk)


def staff_plans(user: User) -> QuerySet[CarePlan]:
    if not user.is_clinic_staff:
        return CarePlan.objects.none()
    # A subquery, not a join: joining the admins table would repeat rows.
    run = Clinic.objects.filter(admins=user).values("pk")
    return CarePlan.objects.filter(Q(practitioner__user=user) | Q(clinic__in=run)).select_related(*RELATED)


def staff_plan(user: User, pk: int) -> CarePlan:
    return get_object_or_404(staff_plans(user).prefetch_related("status_changes__by"), pk=pk)
