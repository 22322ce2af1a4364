"""A small CalDAV client (RFC 4791) over calendars.net: what calendar sync needs and no more.

Discovery (a server, principal or calendar address -> the calendars holding events), busy time
(a calendar-query REPORT with a time range: the server filters, recurring events included, so a
calendar with years of history sends only the horizon), and writing one event by UID (PUT) and
removing it (DELETE). The practitioner's credentials go as HTTP Basic over TLS, to the host they
named only. XML is parsed with defusedxml: the answers come from servers Acus does not control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urljoin, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from calendars.models import Connection
from calendars.net import FetchError, Response, failure_for_status, request

Failure = Connection.Failure

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
_XML = {"Content-Type": "application/xml; charset=utf-8"}

_PROPS = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:resourcetype/><d:displayname/><d:current-user-principal/>
  <c:calendar-home-set/><c:supported-calendar-component-set/></d:prop>
</d:propfind>"""

_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
    <c:time-range start="{start}" end="{end}"/>
  </c:comp-filter></c:comp-filter></c:filter>
</c:calendar-query>"""


@dataclass(frozen=True)
class RemoteCalendar:
    url: str
    name: str


@dataclass(frozen=True)
class _Found:
    href: str
    is_calendar: bool
    holds_events: bool
    name: str
    principal: str | None
    home: str | None


def discover(url: str, username: str, password: str) -> list[RemoteCalendar]:
    """The calendars that hold events, from a calendar's, a principal's or a server's address
    (the server's own `/.well-known/caldav` is tried when the address names none)."""
    found = _propfind(url, username, password, depth=0)
    if not found:
        raise FetchError(Failure.INVALID)
    here = found[0]
    if here.is_calendar:
        return [RemoteCalendar(url, here.name or _last_segment(url))] if here.holds_events else []
    home = here.home
    if home is None and here.principal:
        principal = _propfind(urljoin(url, here.principal), username, password, depth=0)
        home = principal[0].home if principal else None
    if home is None and urlsplit(url).path in ("", "/"):
        return discover(urljoin(url, "/.well-known/caldav"), username, password)
    if home is None:
        raise FetchError(Failure.NOT_FOUND)
    home_url = urljoin(url, home)
    calendars = []
    for item in _propfind(home_url, username, password, depth=1):
        if item.is_calendar and item.holds_events:
            address = urljoin(home_url, item.href)
            calendars.append(RemoteCalendar(address, item.name or _last_segment(address)))
    return calendars


def events_between(calendar_url: str, username: str, password: str, start: datetime, end: datetime) -> list[bytes]:
    """Each calendar object with an event in [start, end), as the server sent it (iCalendar)."""
    body = _QUERY.format(start=_utc(start), end=_utc(end)).encode()
    answer = request(
        "REPORT", calendar_url, headers={**_XML, "Depth": "1"}, body=body, username=username, password=password
    )
    root = _multistatus(answer)
    found = []
    for data in root.iter(f"{CALDAV}calendar-data"):
        if data.text and data.text.strip():
            found.append(data.text.encode("utf-8"))
    return found


def fetch_ics(url: str) -> bytes:
    answer = request("GET", url, headers={"Accept": "text/calendar"})
    _raise_for(answer)
    return answer.body


def event_url(calendar_url: str, uid: str) -> str:
    return calendar_url.rstrip("/") + "/" + quote(uid, safe="") + ".ics"


def put_event(calendar_url: str, username: str, password: str, uid: str, ics: bytes) -> str:
    """Create or replace the event: the same UID always lands on the same address, so a retry or
    a duplicate writes the same event again instead of a second one."""
    answer = request(
        "PUT",
        event_url(calendar_url, uid),
        headers={"Content-Type": "text/calendar; charset=utf-8"},
        body=ics,
        username=username,
        password=password,
    )
    _raise_for(answer)
    return answer.headers.get("etag", "")


def delete_event(calendar_url: str, username: str, password: str, uid: str) -> None:
    answer = request("DELETE", event_url(calendar_url, uid), username=username, password=password)
    if answer.status in (404, 410):
        return  # already gone: what a delete wants
    _raise_for(answer)


def _raise_for(answer: Response) -> None:
    failure = failure_for_status(answer.status)
    if failure is not None:
        raise FetchError(failure, answer.status)


def _propfind(url: str, username: str, password: str, *, depth: int) -> list[_Found]:
    answer = request(
        "PROPFIND",
        url,
        headers={**_XML, "Depth": str(depth)},
        body=_PROPS.encode(),
        username=username,
        password=password,
    )
    return [_found(response) for response in _multistatus(answer).iter(f"{DAV}response")]


def _multistatus(answer: Response) -> Element:
    _raise_for(answer)
    if answer.status != 207:
        raise FetchError(Failure.INVALID, answer.status)
    try:
        root = ElementTree.fromstring(answer.body)
    except Exception:  # defusedxml's refusals and plain parse errors alike: not an answer we read
        raise FetchError(Failure.INVALID, answer.status) from None
    if root.tag != f"{DAV}multistatus":
        raise FetchError(Failure.INVALID, answer.status)
    return root


def _found(response: Element) -> _Found:
    href = (response.findtext(f"{DAV}href") or "").strip()
    props: dict[str, Element] = {}
    for propstat in response.iter(f"{DAV}propstat"):
        if "200" not in (propstat.findtext(f"{DAV}status") or ""):
            continue
        for prop in propstat.iter(f"{DAV}prop"):
            for child in prop:
                props[child.tag] = child
    kinds = props.get(f"{DAV}resourcetype")
    is_calendar = kinds is not None and kinds.find(f"{CALDAV}calendar") is not None
    components = props.get(f"{CALDAV}supported-calendar-component-set")
    # No component set means the server makes no promise either way: assume events.
    holds_events = components is None or any(c.get("name", "").upper() == "VEVENT" for c in components)
    return _Found(
        href=href,
        is_calendar=is_calendar,
        holds_events=holds_events,
        name=(props[f"{DAV}displayname"].text or "").strip() if f"{DAV}displayname" in props else "",
        principal=_href(props.get(f"{DAV}current-user-principal")),
        home=_href(props.get(f"{CALDAV}calendar-home-set")),
    )


def _href(prop: Element | None) -> str | None:
    if prop is None:
        return None
    text = prop.findtext(f"{DAV}href")
    return text.strip() if text and text.strip() else None


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar queries need aware datetimes")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _last_segment(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or url
