"""booking.services.hold_appointment: who may hold which time, and what a hold records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Patient
from booking import errors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Credential, Practitioner
from tests.booking.factories import (
    add_hours,
    book,
    insert_appointment,
    local,
    make_clinic,
    make_credential,
    make_practitioner,
    make_time_off,
    make_type,
    minutes,
)

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 in London
TUESDAY = date(2026, 6, 2)
Status = Appointment.Status


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(hold_minutes=15)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, before=10, after=15)


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


def hold(
    patient: Patient,
    kind: AppointmentType,
    start: datetime,
    who: Practitioner | None,
    *,
    now: datetime = NOW,
    idempotency_key: str | None = None,
) -> Appointment:
    return services.hold_appointment(
        patient, appointment_type=kind, start=start, practitioner=who, idempotency_key=idempotency_key, now=now
    )


# --- The happy path -------------------------------------------------------------------


def test_it_holds_a_free_slot(patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    start = local(clinic, TUESDAY, "10:00")
    appointment = hold(patient, visit, start, physio)

    appointment.refresh_from_db()
    assert appointment.status == Status.HELD
    assert appointment.start == datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    assert appointment.end == appointment.start + minutes(60)
    assert appointment.hold_expires_at == NOW + minutes(15)
    assert appointment.blocked_start == appointment.start - minutes(10)
    assert appointment.blocked_end == appointment.end + minutes(15)
    assert appointment.time_zone == "Europe/London"
    assert (appointment.practitioner, appointment.clinic, appointment.version) == (physio, clinic, 1)
    event = AppointmentEvent.objects.get(appointment=appointment)
    assert (event.action, event.actor) == (AppointmentEvent.Action.HELD, patient.user)


def test_any_practitioner_gets_one_who_is_free(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start)

    appointment = hold(patient, visit, start, None)

    assert appointment.practitioner_id == colleague.pk


def test_any_practitioner_spreads_the_work(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, "15:00"))

    appointment = hold(patient, visit, local(clinic, TUESDAY, "10:00"), None)

    assert appointment.practitioner_id == colleague.pk


def test_any_practitioner_says_taken_when_everyone_is_busy(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, None)


def test_any_practitioner_says_taken_not_uncredentialled(
    patient: Patient, other_patient: Patient, clinic: Clinic, needling: AppointmentType
) -> None:
    # The first practitioner by id cannot needle; the only one who can is busy.
    # Blaming the first one's credential would send the patient the wrong way.
    newcomer = make_practitioner(clinic, credentialled=False)
    physio = make_practitioner(clinic)
    assert newcomer.pk < physio.pk
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, needling, start)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, needling, start, None)


# --- Times that were never bookable ---------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda c: NOW - timedelta(days=1), id="past"),
        pytest.param(lambda c: local(c, date(2026, 6, 1), "10:00"), id="inside-min-notice"),
        pytest.param(lambda c: local(c, date(2026, 8, 4), "10:00"), id="beyond-max-advance"),
        pytest.param(lambda c: local(c, TUESDAY, "10:05"), id="off-the-step-grid"),
        pytest.param(lambda c: local(c, TUESDAY, "16:30"), id="runs-past-closing"),
        pytest.param(lambda c: local(c, TUESDAY, "07:00"), id="before-opening"),
        pytest.param(lambda c: local(c, date(2026, 6, 6), "10:00"), id="on-a-day-off"),
    ],
)
def test_it_refuses_a_time_that_is_not_offered(
    when: Callable[[Clinic], datetime], patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    with pytest.raises(errors.InvalidStart) as caught:
        hold(patient, visit, when(clinic), physio)

    assert (caught.value.code, caught.value.status) == ("invalid_start", 400)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda c: local(c, date(2026, 6, 1), "11:00"), id="exactly-the-min-notice"),
        pytest.param(lambda c: local(c, date(2026, 7, 31), "09:00"), id="exactly-the-max-advance"),
        pytest.param(lambda c: local(c, TUESDAY, "16:00"), id="ends-at-closing"),
    ],
)
def test_it_accepts_the_edges_of_the_window(
    when: Callable[[Clinic], datetime], patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    assert hold(patient, visit, when(clinic), physio).status == Status.HELD


def test_it_refuses_a_time_during_time_off(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    make_time_off(physio, local(clinic, TUESDAY, "09:00"), local(clinic, TUESDAY, "11:00"))

    with pytest.raises(errors.InvalidStart):
        hold(patient, visit, local(clinic, TUESDAY, "10:30"), physio)
    assert hold(patient, visit, local(clinic, TUESDAY, "11:15"), physio)


def test_it_refuses_a_naive_time(patient: Patient, visit: AppointmentType, physio: Practitioner) -> None:
    with pytest.raises(errors.InvalidStart):
        hold(patient, visit, datetime(2026, 6, 2, 10, 0), physio)


def test_it_refuses_an_inactive_treatment(patient: Patient, visit: AppointmentType, physio: Practitioner) -> None:
    visit.active = False
    visit.save()

    with pytest.raises(errors.InvalidStart) as caught:
        hold(patient, visit, local(visit.clinic, TUESDAY, "10:00"), physio)
    assert caught.value.code == "appointment_type_inactive"


def test_it_refuses_a_practitioner_who_does_not_offer_the_treatment(
    patient: Patient, clinic: Clinic, visit: AppointmentType, needling: AppointmentType
) -> None:
    specialist = make_practitioner(clinic, types=[needling])

    with pytest.raises(errors.InvalidStart) as caught:
        hold(patient, visit, local(clinic, TUESDAY, "10:00"), specialist)
    assert caught.value.code == "practitioner_unavailable"


# --- Overlaps -------------------------------------------------------------------------

# The neighbour at 12:00 blocks 11:50-13:15 (10 min before, 15 after); a new
# visit blocks 10 minutes before and 15 after itself too.


@pytest.mark.parametrize(
    ("hh_mm", "free"),
    [
        ("10:30", True),  # blocks 10:20-11:45, clear of 11:50
        ("10:45", False),  # its buffer after runs into the neighbour's buffer before
        ("11:15", False),  # the visits themselves overlap
        ("12:00", False),  # the same time
        ("13:15", False),  # its buffer before runs into the neighbour's buffer after
        ("13:30", True),  # blocks from 13:20, clear of 13:15
    ],
)
def test_it_refuses_an_overlapping_slot_buffers_included(
    hh_mm: str,
    free: bool,
    patient: Patient,
    other_patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
) -> None:
    insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, "12:00"))
    start = local(clinic, TUESDAY, hh_mm)

    if free:
        assert hold(patient, visit, start, physio).status == Status.HELD
    else:
        with pytest.raises(errors.SlotUnavailable) as caught:
            hold(patient, visit, start, physio)
        assert (caught.value.code, caught.value.status) == ("slot_unavailable", 409)


@pytest.mark.parametrize("status", [Status.HELD, Status.PENDING_REVIEW, Status.CONFIRMED])
def test_every_live_status_blocks_the_slot(
    status: str, patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start, status=status)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, physio)


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.DECLINED, Status.COMPLETED, Status.NO_SHOW])
def test_a_finished_appointment_does_not_block_the_slot(
    status: str, patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start, status=status)

    assert hold(patient, visit, start, physio).status == Status.HELD


def test_it_refuses_a_patient_who_is_busy_with_another_practitioner(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    book(patient, visit, local(clinic, TUESDAY, "10:00"), practitioner=colleague, now=NOW)

    with pytest.raises(errors.PatientBusy) as caught:
        hold(patient, visit, local(clinic, TUESDAY, "10:45"), physio)
    assert caught.value.code == "patient_busy"


def test_the_patients_own_hold_counts_until_it_expires_by_the_given_clock(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    # The services take `now`; deciding "is the patient busy" by the wall clock
    # instead would let this 2026 hold look long expired.
    colleague = make_practitioner(clinic)
    hold(patient, visit, local(clinic, TUESDAY, "10:00"), colleague)

    with pytest.raises(errors.PatientBusy):
        hold(patient, visit, local(clinic, TUESDAY, "10:30"), physio, now=NOW + minutes(5))
    assert Appointment.objects.count() == 1


# --- Needling needs a credential ------------------------------------------------------


@pytest.mark.parametrize(
    "credential",
    [
        pytest.param({}, id="verified-open-ended"),
        pytest.param({"valid_until": TUESDAY}, id="valid-until-that-day"),
        pytest.param({"valid_from": TUESDAY}, id="valid-from-that-day"),
    ],
)
def test_a_credentialled_practitioner_may_needle(
    credential: dict[str, object], patient: Patient, clinic: Clinic, needling: AppointmentType
) -> None:
    physio = make_practitioner(clinic, credentialled=False)
    make_credential(physio, jurisdiction="GB", **credential)  # type: ignore[arg-type]

    assert hold(patient, needling, local(clinic, TUESDAY, "10:00"), physio).status == Status.HELD


@pytest.mark.parametrize(
    "credential",
    [
        pytest.param(None, id="none-at-all"),
        pytest.param({"verified": False}, id="unverified"),
        pytest.param({"valid_until": date(2026, 6, 1)}, id="expired-the-day-before"),
        pytest.param({"valid_from": date(2026, 6, 3)}, id="not-yet-valid"),
        pytest.param({"jurisdiction": "IE"}, id="other-jurisdiction"),
        pytest.param({"kind": Credential.Kind.LICENCE}, id="a-licence-is-not-a-needling-credential"),
    ],
)
def test_it_refuses_needling_without_a_valid_credential(
    credential: dict[str, object] | None, patient: Patient, clinic: Clinic, needling: AppointmentType
) -> None:
    physio = make_practitioner(clinic, credentialled=False)
    if credential is not None:
        make_credential(physio, **credential)  # type: ignore[arg-type]

    with pytest.raises(errors.NotCredentialled) as caught:
        hold(patient, needling, local(clinic, TUESDAY, "10:00"), physio)
    assert (caught.value.code, caught.value.status) == ("practitioner_not_credentialled", 409)


def test_a_treatment_without_needling_needs_no_credential(
    patient: Patient, clinic: Clinic, visit: AppointmentType
) -> None:
    physio = make_practitioner(clinic, credentialled=False)

    assert hold(patient, visit, local(clinic, TUESDAY, "10:00"), physio).status == Status.HELD


# --- Holds that ran out ---------------------------------------------------------------


def test_an_expired_hold_does_not_block_and_is_released(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    stale = hold(other_patient, visit, start, physio)
    later = NOW + minutes(16)

    fresh = hold(patient, visit, start, physio, now=later)

    stale.refresh_from_db()
    assert fresh.status == Status.HELD
    assert (stale.status, stale.cancel_reason, stale.hold_expires_at) == (Status.CANCELLED, "hold_expired", None)
    expired = stale.events.get(action=AppointmentEvent.Action.HOLD_EXPIRED)
    assert expired.at == later


def test_a_hold_that_has_not_expired_still_blocks(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    hold(other_patient, visit, start, physio)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, physio, now=NOW + minutes(14))


def test_the_patients_own_expired_hold_is_released_to_make_room(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    stale = hold(patient, visit, local(clinic, TUESDAY, "10:00"), colleague)

    fresh = hold(patient, visit, local(clinic, TUESDAY, "10:30"), physio, now=NOW + minutes(20))

    stale.refresh_from_db()
    assert (fresh.status, stale.status) == (Status.HELD, Status.CANCELLED)


# --- Idempotency-Key --------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_hold(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    first = hold(patient, visit, start, physio, idempotency_key="abc-123")

    again = hold(patient, visit, start.astimezone(UTC), physio, idempotency_key="abc-123", now=NOW + minutes(1))
    any_again = hold(patient, visit, start, None, idempotency_key="abc-123")

    assert again.pk == first.pk == any_again.pk
    assert Appointment.objects.count() == 1
    assert AppointmentEvent.objects.filter(action=AppointmentEvent.Action.HELD).count() == 1


@pytest.mark.parametrize("change", ["start", "treatment", "practitioner"])
def test_the_same_key_with_a_different_body_is_refused(
    change: str,
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    needling: AppointmentType,
    physio: Practitioner,
) -> None:
    colleague = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")
    hold(patient, visit, start, physio, idempotency_key="abc-123")
    kind, when, who = visit, start, physio
    if change == "start":
        when = start + minutes(15)
    elif change == "treatment":
        kind = needling
    else:
        who = colleague

    with pytest.raises(errors.IdempotencyConflict) as caught:
        hold(patient, kind, when, who, idempotency_key="abc-123")
    assert (caught.value.code, caught.value.status) == ("idempotency_key_reused", 422)
    assert Appointment.objects.count() == 1


def test_keys_belong_to_one_patient(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    mine = hold(patient, visit, local(clinic, TUESDAY, "10:00"), physio, idempotency_key="same")
    theirs = hold(other_patient, visit, local(clinic, TUESDAY, "14:00"), physio, idempotency_key="same")

    assert mine.pk != theirs.pk


def test_without_a_key_a_repeat_is_a_new_request(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    hold(patient, visit, start, physio, idempotency_key="")

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, physio, idempotency_key="")
    assert Appointment.objects.get().idempotency_key is None


# --- Daylight saving time -------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def new_york(db: None) -> tuple[AppointmentType, Practitioner]:
    clinic = make_clinic(time_zone="America/New_York", jurisdiction="US-NY")
    kind = make_type(clinic, minutes=60, needling=True)
    return kind, make_practitioner(clinic, weekdays=range(7))


@pytest.mark.parametrize(
    ("now", "day", "stored"),
    [
        pytest.param(
            datetime(2026, 3, 1, tzinfo=UTC), date(2026, 3, 9), datetime(2026, 3, 9, 13, tzinfo=UTC), id="spring"
        ),
        pytest.param(
            datetime(2026, 10, 20, tzinfo=UTC), date(2026, 11, 1), datetime(2026, 11, 1, 14, tzinfo=UTC), id="fall"
        ),
    ],
)
def test_nine_in_the_morning_is_stored_in_utc_across_dst(
    now: datetime,
    day: date,
    stored: datetime,
    patient: Patient,
    new_york: tuple[AppointmentType, Practitioner],
) -> None:
    kind, physio = new_york

    appointment = hold(patient, kind, local(kind.clinic, day, "09:00"), physio, now=now)

    appointment.refresh_from_db()
    assert appointment.start == stored
    assert appointment.end == stored + minutes(60)
    assert appointment.local_start.hour == 9
    assert appointment.time_zone == "America/New_York"


def test_a_visit_across_the_repeated_hour_lasts_its_real_duration(
    patient: Patient, new_york: tuple[AppointmentType, Practitioner]
) -> None:
    # 01:00 EDT on the fall-back night; wall-clock arithmetic would end it at
    # 02:00 EST, two real hours later.
    kind, physio = new_york
    night = date(2026, 11, 1)
    add_hours(physio, kind.clinic, weekday=night.weekday(), start=time(0), end=time(4))
    start = datetime(2026, 11, 1, 1, 0, tzinfo=NEW_YORK)

    appointment = hold(patient, kind, start, physio, now=datetime(2026, 10, 20, tzinfo=UTC))

    appointment.refresh_from_db()
    assert appointment.start == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
    assert appointment.end - appointment.start == minutes(60)
    assert appointment.blocked_end == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
