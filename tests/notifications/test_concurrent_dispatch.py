"""Dispatchers racing on PostgreSQL: SKIP LOCKED and leases mean each message goes once.

Each thread has its own database connection (Django's are per thread) and waits at
a barrier so that all of them claim at once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from notifications import dispatch
from notifications.models import Kind, Notification
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment
from tests.resources import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
DISPATCHERS = 4
APPOINTMENTS = 60
KINDS = [Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.REMINDER, Kind.AFTERCARE, Kind.CHECKIN]


def seed(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> list[int]:
    now = timezone.now()
    start = now.replace(microsecond=0) + timedelta(days=3)
    rows = []
    for n in range(APPOINTMENTS):
        patient: Patient = make_patient()
        appointment = insert_appointment(patient, physio, visit, start + timedelta(hours=2 * n))
        rows += [
            Notification(
                appointment=appointment,
                appointment_version=1,
                kind=kind,
                channel="email",
                due_at=now - timedelta(seconds=1),
                next_attempt_at=now - timedelta(seconds=1),
            )
            for kind in KINDS
        ]
    return [row.pk for row in Notification.objects.bulk_create(rows)]


def test_dispatchers_racing_never_send_a_message_twice(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_postgres()
    ids = seed(clinic, visit, physio)
    delivered_by: list[tuple[str, int]] = []
    deliver = dispatch.deliver

    def recording_deliver(row: Notification, *args: Any) -> None:
        delivered_by.append((threading.current_thread().name, row.pk))
        deliver(row, *args)

    monkeypatch.setattr(dispatch, "deliver", recording_deliver)
    barrier = threading.Barrier(DISPATCHERS)
    errors: list[BaseException] = []

    def run(worker: str) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            dispatch.dispatch_due(worker=worker, batch=10)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"w{i}",), name=f"w{i}") for i in range(DISPATCHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    sent = Counter(int(message.extra_headers["X-Acus-Notification"]) for message in mail.outbox)
    assert sorted(sent) == sorted(ids), "every message went"
    assert max(sent.values()) == 1, f"sent twice: {[pk for pk, n in sent.items() if n > 1]}"
    assert Notification.objects.filter(status="sent").count() == len(ids)
    assert len({worker for worker, _ in delivered_by}) > 1, "the dispatchers really did share the work"
