"""The patient's own waitlist entries. Another patient's id is a 404, never a 403."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import Patient
from waitlist.models import Entry


def patient_entries(patient: Patient) -> QuerySet[Entry]:
    """Waiting entries first, then the ended ones; within each, in the order they joined (newest last)."""
    return (
        Entry.objects.filter(patient=patient)
        .select_related("clinic", "appointment_type", "practitioner")
        .annotate(
            ended=Case(When(status=Entry.Status.WAITING, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("ended", "joined_at", "pk")
    )


def waiting_entries(patient: Patient) -> QuerySet[Entry]:
    return patient_entries(patient).filter(status=Entry.Status.WAITING)


def own_entry(patient: Patient, pk: int) -> Entry:
    return get_object_or_404(patient_entries(patient), pk=pk)
