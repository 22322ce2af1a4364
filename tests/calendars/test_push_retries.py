"""Writing visits' copies is at least once and idempotent: a calendar that is down is retried
with a growing wait and nothing is lost; running the push twice, or on two workers at once,
leaves one event; a change committed during a write is written again."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from booking import services
from calendars import dav
from calendars.models import Connection, VisitCopy
from calendars.services import copies
from calendars.uids import visit_uid
from tests.accounts.factories import make_patient, make_staff
from tests.calendars.push_world import book, connect, copy_of, event_in, push, uids_in, week_ahead
from tests.calendars.servers import Radicale
from tests.races import race
from tests.resources import need_postgres
from tests.workspace.factories import Desk, make_desk


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


@pytest.mark.django_db
def test_a_calendar_that_is_down_is_retried_with_a_growing_wait_and_nothing_is_lost(
    desk: Desk, radicale: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    calendar = connect(radicale, desk.alex)
    visit = book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))
    row = copy_of(visit, calendar)
    radicale.stop()

    now = timezone.now()
    waits = []
    with caplog.at_level(logging.WARNING, logger="calendars"):
        for _ in range(4):
            assert copies.write_copy(row.pk, now=now) is False
            row.refresh_from_db()
            waits.append(row.next_attempt_at - now)
            assert row.written < row.wanted and row.leased_until is None
            assert copies.write_copy(row.pk, now=now) is False  # backing off: not even tried
            now = row.next_attempt_at

    assert row.attempts == 4
    assert row.last_failure == Connection.Failure.UNREACHABLE
    # 30 s doubling, each with less than 10 % jitter on top.
    assert [int(w.total_seconds() // 30) for w in waits] == [1, 2, 4, 8]
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("calendars")]
    assert lines == [f"calendars: writing visit copy {row.pk} failed (unreachable)"] * 4

    radicale.start()
    assert copies.write_copy(row.pk, now=now) is True
    row.refresh_from_db()
    assert (row.written, row.attempts, row.last_failure, row.exists) == (row.wanted, 0, "", True)
    assert uids_in(radicale, calendar) == {visit_uid(visit.pk)}


def test_the_wait_is_capped_at_an_hour() -> None:
    assert copies.backoff(1) >= timedelta(seconds=30)
    assert copies.backoff(1) <= timedelta(seconds=33)
    assert timedelta(hours=1) <= copies.backoff(8) <= timedelta(hours=1.1)
    assert timedelta(hours=1) <= copies.backoff(500) <= timedelta(hours=1.1)


@pytest.mark.django_db
def test_a_sweep_skips_a_failing_calendar_after_its_first_failure(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    for hh_mm in ("10:00", "12:00", "14:00"):
        book(desk, make_patient(), desk.at(hh_mm, week_ahead(desk)))
    radicale.stop()

    assert push() == 0

    assert sorted(VisitCopy.objects.filter(connection=calendar).values_list("attempts", flat=True)) == [0, 0, 1]
    radicale.start()
    assert push() == 2  # the failed one waits out its backoff
    assert len(uids_in(radicale, calendar)) == 2


@pytest.mark.django_db
def test_pushing_twice_writes_one_event(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    visit = book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))
    row = copy_of(visit, calendar)

    assert push() == 1
    assert push() == 0
    # A duplicate nudge after the write, and one forced through (a lost record of the write).
    assert copies.write_copy(row.pk) is False
    VisitCopy.objects.filter(pk=row.pk).update(written=0)
    assert copies.write_copy(row.pk) is True

    assert uids_in(radicale, calendar) == {visit_uid(visit.pk)}


@pytest.mark.django_db
def test_a_change_during_a_write_is_written_again(
    desk: Desk, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    calendar = connect(radicale, desk.alex)
    patient = make_patient()
    visit = book(desk, patient, desk.at("10:00", week_ahead(desk)))
    row = copy_of(visit, calendar)
    real_put = dav.put_event

    def put_then_another_change_commits(*args: object, **kwargs: object) -> str:
        etag = real_put(*args, **kwargs)  # type: ignore[arg-type]
        VisitCopy.objects.filter(pk=row.pk).update(wanted=F("wanted") + 1)
        return etag

    monkeypatch.setattr(dav, "put_event", put_then_another_change_commits)
    assert copies.write_copy(row.pk) is True
    row.refresh_from_db()
    assert row.written == row.wanted - 1  # still due

    monkeypatch.setattr(dav, "put_event", real_put)
    services.cancel_appointment(visit, actor=patient.user)
    assert push() == 1
    assert uids_in(radicale, calendar) == set()


@pytest.mark.django_db(transaction=True)
def test_two_workers_write_one_event(desk: Desk, radicale: Radicale, monkeypatch: pytest.MonkeyPatch) -> None:
    need_postgres()
    calendar = connect(radicale, desk.alex)
    visit = book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))
    row = copy_of(visit, calendar)
    puts: list[str] = []
    real_put = dav.put_event

    def counted(*args: object, **kwargs: object) -> str:
        puts.append("put")
        return real_put(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dav, "put_event", counted)

    outcomes = race([lambda: copies.write_copy(row.pk) for _ in range(4)])

    assert sorted(outcomes, key=str) == [False, False, False, True]
    assert puts == ["put"]
    assert uids_in(radicale, calendar) == {visit_uid(visit.pk)}
    assert event_in(radicale, calendar, visit)["sequence"] == 1
