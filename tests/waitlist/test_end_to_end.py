"""Issue 19's proof end to end, with a real Celery worker on Redis (the pattern of
tests/notifications/test_workers.py): each event that frees time, committed here with
WAITLIST_FILL on, publishes waitlist.fill_slot; the worker runs the real matching and offer_slot,
then the notifications dispatch (sent as beat would) sends the offer's message. One worker serves
the whole module; the clock is the real one, so the visits are a few days ahead."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import current_app
from django.test import override_settings
from django.utils import timezone

from accounts.models import Patient, User
from booking import consent_flow, services
from booking.models import AppointmentType
from notifications.models import ClinicNotificationSettings, Notification
from notifications.tasks import dispatch_due as dispatch_task
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import make_time_off
from tests.notifications.workers import celery_worker, sent_files, wait_until
from tests.resources import need_postgres, need_redis
from tests.waitlist.factories import insert_entry
from tests.workspace.factories import REVIEW, Desk, book_needling, book_plain, make_desk
from waitlist.models import Entry, FreedSlot, Mode, Offer, Reach, WaitlistSettings
from waitlist.services import offers
from workspace.schedule_rules import Window
from workspace.services import schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]
Cause = FreedSlot.Cause
SECONDS = 60


class Worker:
    def __init__(self, mail_dir: Path, log: Path) -> None:
        self.mail_dir, self.log = mail_dir, log

    def wait(self, check: Callable[[], bool], what: str) -> None:
        wait_until(check, seconds=SECONDS, what=what, log=self.log)

    def offers_of(self, entry: Entry, count: int = 1) -> list[Offer]:
        self.wait(
            lambda: Offer.objects.filter(entry=entry).count() >= count, f"the worker to offer to entry {entry.pk}"
        )
        return list(Offer.objects.filter(entry=entry).select_related("slot").order_by("pk"))

    def send(self, offer: Offer) -> bytes:
        """Dispatch as beat does every 30 s, then the offer's message as the worker wrote it."""
        row = Notification.objects.get(offer=offer)
        dispatch_task.apply_async()
        self.wait(lambda: row.pk in sent_files(self.mail_dir), f"the worker to send offer {offer.pk}")
        [eml] = self.mail_dir.glob(f"{row.pk}-*.eml")
        return eml.read_bytes()


@pytest.fixture(scope="module")
def worker(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    need_postgres()
    redis_url = need_redis()
    folder = tmp_path_factory.mktemp("waitlist-e2e")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    log = folder / "worker.log"
    # Nothing a crashed earlier run left in the queue reaches this worker.
    redis.Redis.from_url(redis_url).delete(current_app.conf.task_default_queue or "celery")
    with celery_worker(mail_dir, log, redis_url):
        yield Worker(mail_dir, log)


@pytest.fixture(autouse=True)
def _fill_on() -> Iterator[None]:
    # The test settings turn the fill off; here the committed change publishes it for real.
    with override_settings(WAITLIST_FILL=True, NOTIFICATIONS_NUDGE=False, SITE_URL="https://acus.example"):
        yield


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


def day_ahead(desk: Desk, days: int = 3) -> date:
    return timezone.now().astimezone(desk.clinic.zone).date() + timedelta(days=days)


def waiting(desk: Desk, kind: AppointmentType, day: date, patient: Patient | None = None, **fields: Any) -> Entry:
    """Anyone, any part of the day, on `day` only (so a change that frees many days offers one)."""
    return insert_entry(
        patient or make_patient(),
        kind,
        first_day=day,
        last_day=day,
        notice_minutes=60,
        joined_at=timezone.now(),
        **fields,
    )


# --- The freeing events -------------------------------------------------------------------------


def cancel(desk: Desk, day: date) -> None:
    patient = make_patient()
    visit = book_plain(desk, patient, desk.at("10:00", day))
    services.cancel_appointment(visit, actor=patient.user)


def move(desk: Desk, day: date) -> None:
    patient = make_patient()
    visit = book_plain(desk, patient, desk.at("10:00", day))
    services.reschedule_appointment(visit, actor=patient.user, start=desk.at("14:00", day))


def decline_review(desk: Desk, day: date) -> None:
    visit = book_needling(desk, make_patient(), desk.at("10:00", day), answers=REVIEW, booked_at=timezone.now())
    consent_flow.decide_review(visit, reviewer=desk.alex.user, approve=False, note="Not today")


def expire_hold(desk: Desk, day: date) -> None:
    services.hold_appointment(
        make_patient(),
        appointment_type=desk.plain,
        start=desk.at("10:00", day),
        practitioner=desk.alex,
        now=timezone.now() - timedelta(hours=2),
    )
    assert services.release_expired_holds() == 1  # what beat's expire-stale-holds runs


def remove_time_off(desk: Desk, day: date) -> None:
    off = make_time_off(desk.alex, desk.at("12:00", day), desk.at("17:00", day))
    schedule.remove_time_off(off, actor=desk.admin)


def add_hours(desk: Desk, day: date) -> None:
    windows = [Window(weekday, time(9), time(18)) for weekday in range(7)]
    schedule.set_working_hours(desk.alex, clinic=desk.clinic, windows=windows, actor=desk.admin)


EVENTS = [
    pytest.param(cancel, "plain", Cause.CANCELLED, "10:00", id="cancellation"),
    pytest.param(move, "plain", Cause.MOVED, "10:00", id="move"),
    pytest.param(decline_review, "needling", Cause.DECLINED, "10:00", id="declined-review"),
    pytest.param(expire_hold, "plain", Cause.HOLD_EXPIRED, "10:00", id="expired-hold"),
    pytest.param(remove_time_off, "plain", Cause.TIME_OFF_REMOVED, "12:00", id="time-off-removed"),
    pytest.param(add_hours, "plain", Cause.HOURS_CHANGED, "17:00", id="new-working-hours"),
]


@pytest.mark.parametrize(("event", "kind", "cause", "starts"), EVENTS)
def test_each_freeing_event_gets_a_fitting_entry_an_offer_the_worker_sends(
    worker: Worker, desk: Desk, event: Callable[[Desk, date], None], kind: str, cause: str, starts: str
) -> None:
    day = day_ahead(desk)
    entry = waiting(desk, getattr(desk, kind), day, make_patient("waiting@example.com"))

    event(desk, day)

    [offer] = worker.offers_of(entry)
    assert offer.slot.cause == cause and offer.start == desk.at(starts, day)
    assert offer.hold is not None  # sequential by default: an exclusive hold while the offer runs
    secret = Notification.objects.get(offer=offer).context["secret"]
    message = worker.send(offer)
    assert b"waiting@example.com" in message and f"/waitlist/offers/{secret}/".encode() in message
    # The worker writes the message first and records it sent in its next transaction
    # (notifications.dispatch: send, then _finish), so the status follows the file.
    worker.wait(lambda: Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT, f"offer {offer.pk} recorded sent")


def test_sequential_an_expired_offer_passes_on_to_the_next_patient(worker: Worker, desk: Desk) -> None:
    day = day_ahead(desk)
    first = waiting(desk, desk.plain, day)
    second = waiting(desk, desk.plain, day, make_patient("second@example.com"))
    cancel(desk, day)
    [offer] = worker.offers_of(first)
    assert not Offer.objects.filter(entry=second).exists()  # one patient at a time
    # The offer's 30 minutes run out (moved into the past), and beat's pass_on_expired runs.
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    current_app.send_task("waitlist.pass_on_expired")

    [next_offer] = worker.offers_of(second)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED and offer.hold is not None
    offer.hold.refresh_from_db()
    assert offer.hold.status == offer.hold.Status.CANCELLED  # the first patient's hold let go
    assert next_offer.slot_id == offer.slot_id and next_offer.hold is not None
    assert b"second@example.com" in worker.send(next_offer)
    assert FreedSlot.objects.count() == 1  # the released hold is not freed time of its own


def test_broadcast_offers_the_first_matches_and_the_first_claim_wins(worker: Worker, desk: Desk) -> None:
    WaitlistSettings.objects.create(clinic=desk.clinic, mode=Mode.BROADCAST, broadcast_size=2)
    day = day_ahead(desk)
    first, second, third = (waiting(desk, desk.plain, day) for _ in range(3))
    cancel(desk, day)

    [one] = worker.offers_of(first)
    [two] = worker.offers_of(second)
    assert one.hold is None and two.hold is None  # no exclusive hold in a broadcast
    assert not Offer.objects.filter(entry=third).exists()  # only the first broadcast_size
    secret = str(Notification.objects.get(offer=two).context["secret"])
    worker.send(one)
    worker.send(two)

    visit = offers.claim(secret, patient=second.patient)

    one.refresh_from_db()
    assert one.status == Offer.Status.TAKEN
    slot = FreedSlot.objects.get(pk=two.slot_id)
    assert slot.outcome == FreedSlot.Outcome.FILLED and slot.filled_by == visit


def test_a_patient_blocked_by_screening_gets_no_offer_of_needling(worker: Worker, desk: Desk) -> None:
    day = day_ahead(desk)
    blocked = make_patient()
    consent_flow.screen(
        blocked,
        questionnaire=desk.questionnaire,
        answers={"needle_fear": "yes", "diabetes": "no"},
        clinic=desk.clinic,
        visit_day=day,
    )
    refused = waiting(desk, desk.needling, day, blocked)  # joined first
    cleared = waiting(desk, desk.needling, day)
    cancelled = make_patient()
    visit = book_needling(desk, cancelled, desk.at("10:00", day), booked_at=timezone.now())
    services.cancel_appointment(visit, actor=cancelled.user)

    [offer] = worker.offers_of(cleared)

    assert not Offer.objects.filter(entry=refused).exists()
    assert offer.appointment_type == desk.needling


def test_quiet_hours_defer_a_text_offer_to_their_end(worker: Worker, desk: Desk) -> None:
    # Quiet hours around the real clock's local time, whatever time the suite runs.
    local_now = timezone.now().astimezone(desk.clinic.zone)
    quiet_end = (local_now + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    ClinicNotificationSettings.objects.create(
        clinic=desk.clinic, quiet_start=(local_now - timedelta(hours=1)).time(), quiet_end=quiet_end
    )
    WaitlistSettings.objects.create(clinic=desk.clinic, offer_minutes=12 * 60)  # the offer outlasts them
    day = day_ahead(desk)
    texted = make_patient(phone="+447911123456", notify_sms=True)
    entry = waiting(desk, desk.plain, day, texted, reach_by=Reach.SMS)
    cancel(desk, day)
    [offer] = worker.offers_of(entry)
    row = Notification.objects.get(offer=offer)
    assert row.channel == "sms"

    dispatch_task.apply_async()

    def deferred() -> bool:
        row.refresh_from_db()
        return row.next_attempt_at > timezone.now() + timedelta(minutes=30)

    worker.wait(deferred, "the worker to defer the text")
    assert row.status == Notification.Status.PENDING and row.sent_at is None
    assert row.next_attempt_at.astimezone(desk.clinic.zone).time() == quiet_end
    offer.refresh_from_db()
    assert offer.status == Offer.Status.QUEUED
    assert row.pk not in sent_files(worker.mail_dir)


def test_freed_time_booked_before_the_worker_runs_is_offered_to_no_one(worker: Worker, desk: Desk) -> None:
    """A freed time booked before the worker picks it up is offered to no one."""
    day = day_ahead(desk)
    entry = waiting(desk, desk.plain, day)
    slot = FreedSlot.objects.create(
        clinic=desk.clinic,
        practitioner=desk.alex,
        start=desk.at("10:00", day),
        end=desk.at("10:45", day),
        cause=Cause.CANCELLED,
        outcome=FreedSlot.Outcome.BOOKED_ELSEWHERE,
    )
    current_app.send_task("waitlist.fill_slot", args=(slot.pk,))
    probe = waiting(desk, desk.plain, day + timedelta(days=1))
    cancel(desk, day + timedelta(days=1))  # a later task on the same queue: once done, the first was too
    worker.offers_of(probe)
    assert not Offer.objects.filter(entry=entry).exists()
