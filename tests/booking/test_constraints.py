"""The database's own guards (PostgreSQL): no overlapping live appointments, an append-only audit.

These write rows straight through the ORM, past every check in booking.services,
to show that the database refuses what the services are meant never to try."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from accounts.models import Patient
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from tests.booking.factories import insert_appointment, local, make_clinic, make_practitioner, make_type
from tests.resources import need_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TUESDAY = date(2026, 6, 2)
Status = Appointment.Status
NOT_LIVE = [Status.CANCELLED, Status.DECLINED, Status.COMPLETED, Status.NO_SHOW]


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, before=10, after=15)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


def refused(constraint: str) -> pytest.RaisesExc[IntegrityError]:
    return pytest.raises(IntegrityError, match=constraint)


# --- One practitioner, one place at a time -------------------------------------------


@pytest.mark.parametrize("status", [Status.HELD, Status.PENDING_REVIEW, Status.CONFIRMED])
@pytest.mark.parametrize(
    "hh_mm",
    [
        "10:00",  # the same time
        "10:30",  # the visits overlap
        "11:00",  # the visits touch, but 10:00's 15 minutes after meet 11:00's 10 before
        "11:20",  # only the buffers overlap: 11:10-... against ...-11:15
        "08:50",  # 08:50-09:50 plus 15 after reaches 10:00's 09:50 start
    ],
)
def test_a_practitioner_cannot_get_overlapping_live_appointments(
    status: str,
    hh_mm: str,
    patient: Patient,
    other_patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
) -> None:
    need_postgres()
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"), status=status)

    with refused("appt_no_practitioner_overlap"), transaction.atomic():
        insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, hh_mm), status=status)
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize("hh_mm", ["11:25", "08:35"])
def test_buffers_that_just_touch_are_allowed(
    hh_mm: str, patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    # 10:00 blocks [09:50, 11:15); 11:25 blocks from 11:15 and 08:35 until 09:50.
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"))

    insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, hh_mm))

    assert Appointment.objects.count() == 2


def test_two_practitioners_may_work_at_the_same_time(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    colleague = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(patient, physio, visit, start)

    insert_appointment(other_patient, colleague, visit, start)

    assert Appointment.objects.count() == 2


# --- One patient, one place at a time ------------------------------------------------


def test_a_patient_cannot_get_overlapping_live_appointments(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    colleague = make_practitioner(clinic)
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"))

    with refused("appt_no_patient_overlap"), transaction.atomic():
        insert_appointment(patient, colleague, visit, local(clinic, TUESDAY, "10:45"), status=Status.HELD)
    assert Appointment.objects.count() == 1


def test_a_patients_back_to_back_visits_are_allowed(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    # The patient constraint is on the visits, not the practitioners' buffers.
    colleague = make_practitioner(clinic)
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"))

    insert_appointment(patient, colleague, visit, local(clinic, TUESDAY, "11:00"))

    assert Appointment.objects.count() == 2


# --- Finished appointments take no time ----------------------------------------------


@pytest.mark.parametrize("status", NOT_LIVE)
def test_an_appointment_that_is_not_live_may_overlap(
    status: str, patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    colleague = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(patient, physio, visit, start, status=status)

    insert_appointment(other_patient, physio, visit, start)  # same practitioner
    insert_appointment(patient, colleague, visit, start)  # same patient

    assert Appointment.objects.count() == 3


def test_reviving_a_cancelled_overlap_is_refused(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    start = local(clinic, TUESDAY, "10:00")
    cancelled = insert_appointment(patient, physio, visit, start, status=Status.CANCELLED)
    insert_appointment(other_patient, physio, visit, start)

    with refused("appt_no_practitioner_overlap"), transaction.atomic():
        Appointment.objects.filter(pk=cancelled.pk).update(status=Status.CONFIRMED)


# --- The audit trail is append-only --------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE booking_appointmentevent SET action = 'cancelled' WHERE id = %s",
        "DELETE FROM booking_appointmentevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_an_appointment_event(
    statement: str, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    appointment = insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"))
    event = AppointmentEvent.objects.create(appointment=appointment, action=AppointmentEvent.Action.CONFIRMED)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])

    event.refresh_from_db()
    assert event.action == AppointmentEvent.Action.CONFIRMED


def test_the_orm_cannot_delete_an_appointment_event_either(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    appointment = insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"))
    event = AppointmentEvent.objects.create(appointment=appointment, action=AppointmentEvent.Action.CONFIRMED)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AppointmentEvent.objects.filter(pk=event.pk).delete()

    assert AppointmentEvent.objects.filter(pk=event.pk).exists()
