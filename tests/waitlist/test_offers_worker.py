"""An offer's message sent by a real Celery worker on Redis (the pattern of
tests/notifications/test_workers.py): the email carries the single-use link and the offer is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import dispatch_due as dispatch_task
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.notifications.workers import celery_worker, sent_files, wait_until
from tests.resources import need_postgres, need_redis
from tests.waitlist.offers_world import add_entry, at, free_slot, matches, secret_of, weekday_ahead
from waitlist.models import Offer
from waitlist.services import offers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


def test_a_celery_worker_on_redis_sends_the_offer_with_its_link(tmp_path: Path) -> None:
    need_postgres()
    redis_url = need_redis()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    clinic = make_clinic(name="Harbour Physio")
    kind = make_type(clinic, minutes=60, name="Follow-up treatment")
    physio = make_practitioner(clinic)
    slot = free_slot(physio, kind, at(clinic, weekday_ahead(clinic), "12:00"))
    entry = add_entry(make_patient("wait@example.com"), kind)
    [offer] = offers.make_offers(slot, matches([entry], slot), now=timezone.now())
    secret = secret_of(offer)
    [row] = Notification.objects.filter(offer=offer)
    log = tmp_path / "worker.log"

    with celery_worker(mail_dir, log, redis_url):
        dispatch_task.apply_async()  # what beat sends every 30 s
        wait_until(lambda: len(sent_files(mail_dir)) == 1, seconds=60, what="the worker to send the offer", log=log)

    assert sent_files(mail_dir) == {row.pk: 1}
    [eml] = mail_dir.glob(f"{row.pk}-*.eml")
    message = eml.read_bytes()
    assert b"wait@example.com" in message
    assert f"/waitlist/offers/{secret}/".encode() in message
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT and offer.sent_at is not None
    # The secret leaves the outbox once sent, and the worker never logs it.
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and row.context == {}
    assert secret not in log.read_text()
