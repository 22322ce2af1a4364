"""Figures read at scrape time: the outbox's lag, the Celery queue's depth, the integrity check."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, Clinic
from config import celery_app
from consent.models import ChainVerification, ConsentFormVersion, QuestionnaireVersion
from consent.verification import record_chain_check
from notifications.models import Notification
from tests.compliance.factories import sign
from tests.consent.tampering import tamper
from tests.metrics.scrape import scrape
from tests.notifications.factories import add_row
from tests.resources import need_redis

pytestmark = pytest.mark.django_db
Status = Notification.Status


def test_outbox_lag_is_the_age_of_the_oldest_due_unsent_message(held: Appointment) -> None:
    now = timezone.now()
    assert scrape(Client()).value("acus_outbox_lag_seconds") == 0

    add_row(held, due_at=now + timedelta(hours=1))  # not due yet
    add_row(held, "pre_visit", due_at=now - timedelta(minutes=10))
    add_row(held, "confirmation", due_at=now - timedelta(hours=2), status=Status.SENT, sent_at=now)  # sent: no lag
    lag = scrape(Client()).value("acus_outbox_lag_seconds")

    assert 600 <= lag < 660


def test_a_message_whose_worker_died_counts_from_its_lease(held: Appointment) -> None:
    now = timezone.now()
    add_row(
        held,
        due_at=now - timedelta(minutes=1),
        status=Status.SENDING,
        leased_by="gone",
        leased_until=now - timedelta(minutes=30),
    )

    assert 1800 <= scrape(Client()).value("acus_outbox_lag_seconds") < 1860


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    url = need_redis()
    client = redis.Redis.from_url(url)
    assert url == settings.CELERY_BROKER_URL
    yield client
    client.close()


def test_queue_depth_counts_the_tasks_waiting_in_redis(broker: redis.Redis) -> None:
    before = scrape(Client()).value("acus_celery_queue_depth", queue="celery")
    assert before == broker.llen("celery")

    for _ in range(3):
        # No worker runs here; `expires` makes a worker that finds them later drop them.
        celery_app.send_task("notifications.dispatch_due", expires=1)
    try:
        after = scrape(Client()).value("acus_celery_queue_depth", queue="celery")
    finally:
        broker.lpop("celery", 3)  # the newest three: the ones just sent

    assert after == before + 3


def test_without_redis_there_is_no_queue_depth(settings: object) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"  # type: ignore[attr-defined]

    assert not scrape(Client()).has("acus_celery_queue_depth")


def test_the_integrity_gauge_shows_the_latest_run(
    clinic: Clinic, patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, questionnaire, clinic=clinic)
    assert not scrape(Client()).has("acus_consent_integrity_ok")  # never checked: no series

    whole = record_chain_check(trigger=ChainVerification.Trigger.COMMAND)
    first = scrape(Client())
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", consent.pk])
    broken = record_chain_check(trigger=ChainVerification.Trigger.COMMAND)
    second = scrape(Client())

    assert whole.ok and not broken.ok
    assert first.value("acus_consent_integrity_ok") == 1
    assert first.value("acus_consent_integrity_checked_timestamp_seconds") == whole.finished_at.timestamp()
    assert second.value("acus_consent_integrity_ok") == 0
    assert second.value("acus_consent_integrity_checked_timestamp_seconds") == broken.finished_at.timestamp()
