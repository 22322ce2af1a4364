"""Claiming, leasing, sending and retrying outbox rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from notifications import dispatch
from notifications.dispatch import backoff, claim_due, send_one
from notifications.models import Channel, ClinicNotificationSettings, Kind, Notification
from tests.booking.factories import insert_appointment, local
from tests.notifications.factories import add_row
from tests.notifications.helpers import NOW, hours

pytestmark = pytest.mark.django_db
Status = Notification.Status
LEASE = timedelta(minutes=5)
FAILING = "tests.notifications.backends.FailingEmailBackend"
REFUSING = "tests.notifications.backends.RefusingEmailBackend"


@pytest.fixture
def appointment(patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> Appointment:
    return insert_appointment(patient, physio, visit, local(clinic, date(2026, 6, 3), "10:00"))


def fresh(row: Notification) -> Notification:
    return Notification.objects.get(pk=row.pk)


def claim_and_send(row: Notification, *, at: datetime = NOW, worker: str = "w1") -> str:
    assert claim_due(worker=worker, now=at, lease=LEASE) == [row.pk]
    with time_machine.travel(at, tick=False):
        return send_one(row.pk, worker=worker, now=at)


# --- Claiming -----------------------------------------------------------------------------


def test_a_claim_leases_due_rows_only(appointment: Appointment) -> None:
    due = add_row(appointment, Kind.CONFIRMATION, due_at=NOW - hours(1))
    add_row(appointment, Kind.REMINDER, due_at=NOW + hours(1))
    add_row(appointment, Kind.PRE_VISIT, due_at=NOW - hours(2), status=Status.SENT, sent_at=NOW)

    assert claim_due(worker="w1", now=NOW, lease=LEASE) == [due.pk]

    row = fresh(due)
    assert (row.status, row.leased_by, row.leased_until, row.attempts) == (Status.SENDING, "w1", NOW + LEASE, 1)


def test_a_leased_row_is_not_claimed_again_until_its_lease_runs_out(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)
    claim_due(worker="w1", now=NOW, lease=LEASE)

    assert claim_due(worker="w2", now=NOW + LEASE - timedelta(seconds=1), lease=LEASE) == []
    assert claim_due(worker="w2", now=NOW + LEASE, lease=LEASE) == [row.pk]
    assert (fresh(row).leased_by, fresh(row).attempts) == ("w2", 2), "the dead worker's try counts"


def test_only_the_worker_holding_the_lease_sends(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)
    claim_due(worker="w1", now=NOW, lease=LEASE)

    assert send_one(row.pk, worker="w2", now=NOW) == "lost"

    assert mail.outbox == []
    assert fresh(row).status == Status.SENDING


def test_a_result_is_recorded_only_while_the_lease_is_held(
    appointment: Appointment, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = add_row(appointment, due_at=NOW)

    def slow_send(**kwargs: Any) -> None:
        # Meanwhile the lease ran out and another worker took the row.
        Notification.objects.filter(pk=row.pk).update(leased_by="w2")

    monkeypatch.setattr(dispatch.email, "send_email", slow_send)

    assert claim_and_send(row) == "lost"
    assert (fresh(row).status, fresh(row).leased_by) == (Status.SENDING, "w2")


def test_a_sent_row_records_when(appointment: Appointment) -> None:
    row = add_row(appointment, Kind.CONFIRMATION, due_at=NOW)

    assert claim_and_send(row) == Status.SENT

    sent = fresh(row)
    assert (sent.status, sent.sent_at, sent.leased_by, sent.leased_until) == (Status.SENT, NOW, "", None)
    assert len(mail.outbox) == 1


# --- Failures -----------------------------------------------------------------------------


def test_backoff_doubles_up_to_a_cap_with_jitter() -> None:
    base, cap = timedelta(seconds=30), timedelta(hours=2)

    assert [backoff(n, base=base, cap=cap, rand=lambda: 1.0) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=s) for s in (30, 60, 120, 240)
    ]
    assert backoff(30, base=base, cap=cap, rand=lambda: 1.0) == cap
    assert backoff(3, base=base, cap=cap, rand=lambda: 0.0) == timedelta(seconds=60), "at least half"


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_failed_send_waits_and_tries_again(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)

    assert claim_and_send(row) == Status.PENDING

    failed = fresh(row)
    assert failed.attempts == 1
    assert "Connection unexpectedly closed" in failed.last_error
    assert NOW + timedelta(seconds=15) <= failed.next_attempt_at <= NOW + timedelta(seconds=30)
    assert claim_due(worker="w1", now=NOW + timedelta(seconds=10)) == [], "not before its time"


@override_settings(EMAIL_BACKEND=REFUSING)
def test_a_refused_address_fails_at_once(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)

    assert claim_and_send(row) == Status.FAILED

    assert "address refused" in fresh(row).last_error


@override_settings(EMAIL_BACKEND=FAILING)
def test_it_stops_as_failed_after_the_clinics_number_of_tries(appointment: Appointment, clinic: Clinic) -> None:
    ClinicNotificationSettings.objects.create(clinic=clinic, max_attempts=3)
    row = add_row(appointment, due_at=NOW)
    at = NOW
    outcomes = []
    for _ in range(3):
        outcomes.append(claim_and_send(row, at=at))
        at = fresh(row).next_attempt_at

    assert outcomes == [Status.PENDING, Status.PENDING, Status.FAILED]
    assert fresh(row).attempts == 3


def test_a_row_whose_worker_died_on_its_last_try_fails(appointment: Appointment, clinic: Clinic) -> None:
    ClinicNotificationSettings.objects.create(clinic=clinic, max_attempts=2)
    row = add_row(appointment, due_at=NOW, attempts=2, status=Status.SENDING, leased_by="dead", leased_until=NOW)

    assert claim_and_send(row) == Status.FAILED
    assert mail.outbox == []


def test_the_admin_retries_failed_rows(appointment: Appointment, clinic_admin: Any) -> None:
    from tests.accounts.sign_in import verified_staff_client

    failed = add_row(appointment, due_at=NOW - hours(5), status=Status.FAILED, attempts=8, last_error="boom")
    pending = add_row(appointment, Kind.PRE_VISIT, due_at=NOW + hours(1))
    client = verified_staff_client(clinic_admin)

    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/admin/notifications/notification/",
            {"action": "retry", "_selected_action": [failed.pk, pending.pk]},
        )

    assert response.status_code == 302
    retried = fresh(failed)
    assert (retried.status, retried.attempts, retried.next_attempt_at) == (Status.PENDING, 0, NOW)
    assert fresh(pending).next_attempt_at == NOW + hours(1), "only failed rows are touched"
    assert claim_and_send(retried) == Status.SENT


def test_the_admin_lists_the_outbox(appointment: Appointment, clinic_admin: Any) -> None:
    from tests.accounts.sign_in import verified_staff_client

    add_row(appointment, due_at=NOW, status=Status.FAILED, last_error="boom")

    response = verified_staff_client(clinic_admin).get("/admin/notifications/notification/?status__exact=failed")

    assert response.status_code == 200
    assert b"Reminder" in response.content


# --- Re-checks at send time -------------------------------------------------------------------


def test_a_row_for_an_older_version_is_cancelled(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)
    Appointment.objects.filter(pk=appointment.pk).update(version=2)

    assert claim_and_send(row) == Status.CANCELLED
    assert mail.outbox == []
    assert "version 2" in fresh(row).last_error


@pytest.mark.parametrize("status", [Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW])
def test_aftercare_is_skipped_for_a_visit_that_did_not_happen(appointment: Appointment, status: str) -> None:
    row = add_row(appointment, Kind.AFTERCARE, due_at=NOW)
    Appointment.objects.filter(pk=appointment.pk).update(status=status)

    assert claim_and_send(row) == Status.SKIPPED
    assert mail.outbox == []


def test_a_reminder_for_a_cancelled_visit_is_cancelled(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)

    assert claim_and_send(row) == Status.CANCELLED


def test_a_reminder_that_is_late_for_the_visit_is_skipped(appointment: Appointment) -> None:
    row = add_row(appointment, due_at=NOW)

    assert claim_and_send(row, at=appointment.start + timedelta(minutes=1)) == Status.SKIPPED
    assert fresh(row).last_error == "too late: the visit has started"


def test_an_email_reminder_is_skipped_when_the_patient_turned_them_off(
    appointment: Appointment, patient: Patient
) -> None:
    row = add_row(appointment, due_at=NOW)
    Patient.objects.filter(pk=patient.pk).update(notify_email=False)

    assert claim_and_send(row) == Status.SKIPPED


def test_nothing_goes_to_a_patient_whose_account_is_closed(appointment: Appointment, patient: Patient) -> None:
    # e.g. erased at their request: the address is no longer theirs.
    row = add_row(appointment, Kind.AFTERCARE, due_at=NOW)
    type(patient.user).objects.filter(pk=patient.user_id).update(is_active=False)

    assert claim_and_send(row) == Status.SKIPPED
    assert mail.outbox == []


@override_settings(SMS_BACKEND="file")
def test_a_text_due_in_quiet_hours_waits_for_the_morning(
    appointment: Appointment, sms_patient: Patient, tmp_path: Any, settings: Any
) -> None:
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    late_evening = datetime(2026, 6, 2, 21, 30, tzinfo=UTC)  # 22:30 BST
    row = add_row(appointment, channel=Channel.SMS, due_at=late_evening)

    assert claim_and_send(row, at=late_evening) == Status.PENDING

    waiting = fresh(row)
    assert (waiting.attempts, waiting.next_attempt_at) == (0, datetime(2026, 6, 3, 7, 0, tzinfo=UTC))
    assert claim_and_send(row, at=waiting.next_attempt_at) == Status.SENT
    assert "Harbour Physio: reminder" in (tmp_path / "sms.log").read_text()


def test_a_dispatch_out_of_time_gives_back_what_it_did_not_try(
    appointment: Appointment, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = add_row(appointment, Kind.CONFIRMATION, due_at=NOW)
    second = add_row(appointment, Kind.PRE_VISIT, due_at=NOW)
    # The clock reads 0 when the run starts and when it claims, then 10 s: past its 5 s budget.
    clock = iter([0.0, 0.0])
    monkeypatch.setattr(dispatch.time, "monotonic", lambda: next(clock, 10.0))

    with time_machine.travel(NOW, tick=False):
        handled = dispatch.dispatch_due(worker="w1", budget=timedelta(seconds=5))

    assert handled == 0
    assert {fresh(first).status, fresh(second).status} == {Status.PENDING}
    assert {fresh(first).attempts, fresh(second).attempts} == {0}
