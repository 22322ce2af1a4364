"""Who sees what: a practitioner sees their own appointments; a clinic admin sees every
appointment at the clinics they run. Anything else is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from booking.models import Appointment, Clinic, Practitioner


def practitioner_of(user: User) -> Practitioner | None:
    return Practitioner.objects.filter(user=user).first()


def staff_appointments(user: User) -> QuerySet[Appointment]:
    """Appointments a staff member may see and act on: their own as a practitioner,
    and every one at the clinics they run as a clinic admin."""
    if not user.is_clinic_staff:
        return Appointment.objects.none()
    # A subquery, not a join: joining the admins table would repeat rows.
    run = Clinic.objects.filter(admins=user).values("pk")
    return Appointment.objects.filter(Q(practitioner__user=user) | Q(clinic__in=run))


def visible_appointment(user: User, pk: int) -> Appointment:
    """One appointment the staff member may see, with what its pages show; anyone else's is a
    404. The workspace's pages and API look up through here."""
    found = staff_appointments(user).select_related("clinic", "appointment_type", "practitioner", "patient__user")
    return get_object_or_404(found, pk=pk)


def staff_clinics(user: User) -> QuerySet[Clinic]:
    """The clinics a staff member works at or runs."""
    ids = Clinic.objects.filter(Q(admins=user) | Q(practitioners__user=user)).values("pk")
    return Clinic.objects.filter(pk__in=ids).order_by("name", "pk")


def administered_practitioners(user: User) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(clinics__admins=user).distinct().order_by("display_name", "pk")


def manageable_practitioners(user: User) -> list[Practitioner]:
    """Whose schedule and credentials the user may look after: their own, and a
    clinic admin's clinics' practitioners."""
    people = list(administered_practitioners(user)) if user.role == User.Role.CLINIC_ADMIN else []
    own = practitioner_of(user)
    if own is not None and own not in people:
        people.insert(0, own)
    return people


def manageable_practitioner(user: User, practitioner_id: int | None) -> Practitioner | None:
    people = manageable_practitioners(user)
    if practitioner_id is None:
        return people[0] if people else None
    return next((p for p in people if p.pk == practitioner_id), None)
