"""The CalDAV client against a real Radicale: discovery, a time-range query, writing by UID."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calendars import dav
from calendars.models import Connection
from calendars.net import FetchError
from tests.calendars.servers import Radicale

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261201T000000Z
DTSTART:{start}
DTEND:{end}
SUMMARY:Dentist
END:VEVENT
END:VCALENDAR
"""


def _event(uid: str, start: str, end: str) -> str:
    return EVENT.format(uid=uid, start=start, end=end).replace("\n", "\r\n")


def test_discovery_from_the_server_address_finds_the_users_calendars(radicale: Radicale) -> None:
    url, user, password = radicale.new_calendar(name="Hospital shifts")
    found = dav.discover(radicale.base + "/", user, password)
    assert dav.RemoteCalendar(url, "Hospital shifts") in found


def test_discovery_from_a_calendar_address_gives_that_calendar(radicale: Radicale) -> None:
    url, user, password = radicale.new_calendar(name="Personal")
    assert dav.discover(url, user, password) == [dav.RemoteCalendar(url, "Personal")]


def test_a_wrong_password_is_an_auth_failure(radicale: Radicale) -> None:
    url, user, _ = radicale.new_calendar()
    with pytest.raises(FetchError) as caught:
        dav.discover(url, user, "not-the-password")
    assert caught.value.failure == Connection.Failure.AUTH


def test_the_time_range_query_returns_only_events_in_the_range(radicale: Radicale) -> None:
    url, user, password = radicale.new_calendar()
    radicale.put(url, "in", _event("in@test", "20270105T100000Z", "20270105T110000Z"))
    radicale.put(url, "out", _event("out@test", "20270301T100000Z", "20270301T110000Z"))
    found = dav.events_between(url, user, password, datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
    assert len(found) == 1 and b"in@test" in found[0]


def test_put_by_uid_twice_leaves_one_event_and_delete_is_idempotent(radicale: Radicale) -> None:
    url, user, password = radicale.new_calendar()
    uid = "acus-visit-7@example.test"
    dav.put_event(url, user, password, uid, _event(uid, "20270105T100000Z", "20270105T110000Z").encode())
    dav.put_event(url, user, password, uid, _event(uid, "20270105T120000Z", "20270105T130000Z").encode())
    objects = radicale.objects(url)
    assert list(objects) == [uid] and b"20270105T120000Z" in objects[uid]
    dav.delete_event(url, user, password, uid)
    dav.delete_event(url, user, password, uid)  # gone already: still fine
    assert radicale.list_uids(url) == set()


def test_a_stopped_server_is_unreachable(radicale: Radicale) -> None:
    url, user, password = radicale.new_calendar()
    radicale.stop()
    with pytest.raises(FetchError) as caught:
        dav.discover(url, user, password)
    assert caught.value.failure == Connection.Failure.UNREACHABLE
