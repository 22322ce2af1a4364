"""Connecting, testing, pausing and removing a practitioner's calendars.

Every write runs in a transaction with a CalendarEvent audit row whose `data` holds the kind,
the host and what changed, never a credential or an address's path. The network is asked before
the transaction opens (discovery, a test fetch), so no row lock waits on a slow server. After a
connection is made, resumed or pointed at another calendar, a sync is queued after commit by the
task's name ("calendars.sync_connection"): the tasks module imports the services, not the other
way round.

Refusals are django.core.exceptions.ValidationError with a dict of field -> messages, in the
words of Connection.Failure's labels, never the server's own (they may echo an address or a
name): forms add them to their fields, the API turns them into a 400."""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import urlsplit, urlunsplit

import icalendar
from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking.models import Practitioner
from calendars import dav, net, secrets
from calendars.dav import RemoteCalendar
from calendars.models import BusyRange, CalendarEvent, Connection
from calendars.services import copies

logger = logging.getLogger(__name__)

_GIVE_UP_AT_ONCE = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}
NAME_MAX = Connection._meta.get_field("name").max_length or 100


def not_configured_message() -> str:
    return _("Calendar sync is not set up on this server: the administrator must set CALENDAR_KEYS.")


def failure_message(failure: str) -> str:
    """The readable words for a Connection.Failure code."""
    try:
        return str(Connection.Failure(failure).label)
    except ValueError:
        return str(Connection.Failure.SERVER.label)


def checked_url(url: str, *, ics: bool, field: str = "url") -> str:
    """The address to use: https:// (http:// only where private hosts are allowed, i.e. tests),
    webcal:// read as https:// for an ICS address; no username or password inside it."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError:
        raise ValidationError({field: [_("Enter a full address starting with https://.")]}) from None
    scheme = parts.scheme.lower()
    if ics and scheme == "webcal":
        scheme = "https"
    allowed = {"https", "http"} if settings.CALENDAR_ALLOW_PRIVATE_HOSTS else {"https"}
    if scheme not in allowed or not hostname:
        raise ValidationError({field: [_("Enter a full address starting with https://.")]})
    if parts.username or parts.password:
        raise ValidationError(
            {field: [_("Leave the username and password out of the address: they have their own fields.")]}
        )
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""


def _refused(exc: net.FetchError, *, credentials_field: str = "password", field: str = "url") -> ValidationError:
    where = credentials_field if exc.failure == Connection.Failure.AUTH else field
    return ValidationError({where: [failure_message(exc.failure)]})


def _require_keys() -> None:
    if not secrets.configured():
        raise ValidationError({"__all__": [not_configured_message()]})


def _audit(connection: Connection, action: str, actor: User | None, **data: object) -> None:
    CalendarEvent.objects.create(
        practitioner_id=connection.practitioner_id,
        connection_id=connection.pk,
        action=action,
        actor=actor,
        data={"kind": connection.kind, "host": connection.host, **data},
    )


def _name(name: str, fallback: str) -> str:
    return (name.strip() or fallback.strip() or _("My calendar"))[:NAME_MAX]


def queue_sync(connection_id: int) -> None:
    """Ask a worker to sync now. A broker that is down must not fail the change that asked:
    the beat's sweep syncs the calendar later anyway."""
    try:
        with current_app.connection_for_write(transport_options=_GIVE_UP_AT_ONCE) as conn:
            current_app.send_task(
                "calendars.sync_connection", args=[connection_id], retry=False, producer=conn.Producer()
            )
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning("calendars: could not queue a sync of connection %s (%s)", connection_id, type(exc).__name__)


def _sync_after_commit(connection_id: int) -> None:
    transaction.on_commit(lambda: queue_sync(connection_id))


def connect_caldav(
    *, practitioner: Practitioner, name: str, url: str, username: str, password: str, actor: User | None
) -> Connection:
    """Connect a CalDAV account: discover its calendars and take the first (the practitioner
    can choose another later). A practitioner's first CalDAV calendar receives their visits."""
    _require_keys()
    url = checked_url(url, ics=False)
    try:
        found = dav.discover(url, username, password)
    except net.FetchError as exc:
        raise _refused(exc) from None
    if not found:
        raise ValidationError({"url": [_("No calendar for events was found in that account.")]})
    chosen = found[0]
    host = host_of(chosen.url) or host_of(url)
    with transaction.atomic():
        # The practitioner's row is the lock: two connections made at once agree on the first.
        Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()
        first = not Connection.objects.filter(practitioner=practitioner, kind=Connection.Kind.CALDAV).exists()
        target_taken = Connection.objects.filter(practitioner=practitioner, write_visits=True).exists()
        connection = Connection.objects.create(
            practitioner=practitioner,
            kind=Connection.Kind.CALDAV,
            name=_name(name, chosen.name or host),
            host=host,
            secret=secrets.seal({"url": chosen.url, "username": username, "password": password, "account": url}),
            write_visits=first and not target_taken,
        )
        _audit(connection, CalendarEvent.Action.CONNECTED, actor, write_visits=connection.write_visits)
        _sync_after_commit(connection.pk)
        if connection.write_visits:
            copies.queue_upcoming(connection=connection)
    return connection


def _reads_as_calendar(body: bytes) -> bool:
    # Parsed here only to refuse what is not a calendar; calendars.busy reads it at each sync.
    try:
        icalendar.Calendar.from_ical(body)
    except Exception:  # icalendar raises ValueError and others on a page that is not a calendar
        return False
    return True


def connect_ics(*, practitioner: Practitioner, name: str, url: str, actor: User | None) -> Connection:
    """Add a read-only ICS address, once it has been fetched and read as a calendar."""
    _require_keys()
    url = checked_url(url, ics=True)
    try:
        body = dav.fetch_ics(url)
    except net.FetchError as exc:
        raise _refused(exc, credentials_field="url") from None
    if not _reads_as_calendar(body):
        raise ValidationError({"url": [failure_message(Connection.Failure.INVALID)]})
    host = host_of(url)
    with transaction.atomic():
        connection = Connection.objects.create(
            practitioner=practitioner,
            kind=Connection.Kind.ICS,
            name=_name(name, host),
            host=host,
            secret=secrets.seal({"url": url, "username": "", "password": ""}),
        )
        _audit(connection, CalendarEvent.Action.CONNECTED, actor)
        _sync_after_commit(connection.pk)
    return connection


def _probe(connection: Connection) -> str:
    """ "" if the calendar answers as a calendar, else a Connection.Failure code."""
    credentials = secrets.unseal(connection.secret)
    try:
        if connection.kind == Connection.Kind.ICS:
            if not _reads_as_calendar(dav.fetch_ics(credentials["url"])):
                return Connection.Failure.INVALID
        else:
            # Discovery from the chosen calendar's address checks the server, the password and
            # that the account still has calendars.
            dav.discover(credentials["url"], credentials["username"], credentials["password"])
    except net.FetchError as exc:
        return str(exc.failure)
    return ""


def test_connection(*, connection: Connection, actor: User | None) -> tuple[bool, str, str]:
    """Reach the calendar now: (ok, Connection.Failure code or "", words for a person).
    Records the test; the sync state is left to the next sync."""
    try:
        failure = _probe(connection)
    except secrets.NotConfigured:
        ok, failure, detail = False, "", not_configured_message()
    else:
        ok = not failure
        detail = failure_message(failure) if failure else _("Acus reached the calendar and could read it.")
    with transaction.atomic():
        _audit(connection, CalendarEvent.Action.TESTED, actor, ok=ok, failure=failure)
    return ok, failure, detail


def available_calendars(*, connection: Connection) -> list[RemoteCalendar]:
    """The calendars of a CalDAV connection's account (raises net.FetchError)."""
    if connection.kind != Connection.Kind.CALDAV:
        return []
    credentials = secrets.unseal(connection.secret)
    username, password = credentials["username"], credentials["password"]
    # The address typed when connecting lists the account's calendars; when that was a calendar's
    # own address it lists that calendar alone, so the server's root (its principal) is asked too.
    found = dav.discover(credentials["account"], username, password)
    if len(found) <= 1:
        parts = urlsplit(credentials["url"])
        # The root may not answer (a server that serves only calendars' own addresses).
        with contextlib.suppress(net.FetchError):
            found = dav.discover(urlunsplit((parts.scheme, parts.netloc, "/", "", "")), username, password) or found
    return found


def current_calendar_url(connection: Connection) -> str:
    """For choosing among the account's calendars on a page: the chosen one's address. Never
    for an ICS connection, whose address is its secret."""
    if connection.kind != Connection.Kind.CALDAV:
        return ""
    return secrets.unseal(connection.secret)["url"]


def choose_calendar(*, connection: Connection, calendar_url: str, actor: User | None) -> Connection:
    """Point a CalDAV connection at another of its account's calendars: only an address
    discovery lists, so a connection can never be sent to an address the user typed. Returns the
    connection now reading that calendar: a NEW one when Acus's visits may be in the old calendar
    (see _replace), else the same one changed in place."""
    if connection.kind != Connection.Kind.CALDAV:
        raise ValidationError({"calendar_url": [_("Only a CalDAV connection has calendars to choose from.")]})
    try:
        found = available_calendars(connection=connection)
    except net.FetchError as exc:
        raise _refused(exc, credentials_field="calendar_url", field="calendar_url") from None
    chosen = next((c for c in found if c.url == calendar_url), None)
    if chosen is None:
        raise ValidationError({"calendar_url": [_("Choose one of the calendars in the list.")]})
    credentials = secrets.unseal(connection.secret)
    if credentials["url"] == chosen.url:
        return connection
    with transaction.atomic():
        # The practitioner's row first, as set_write_target: the write target may move.
        Practitioner.objects.select_for_update().filter(pk=connection.practitioner_id).first()
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if copies.may_be_in_calendar(connection.pk):
            return _replace(connection, chosen, credentials, actor)
        connection.secret = secrets.seal({**credentials, "url": chosen.url})
        connection.host = host_of(chosen.url) or connection.host
        connection.save(update_fields=["secret", "host"])
        _audit(connection, CalendarEvent.Action.CHANGED, actor, calendar="chosen")
        _sync_after_commit(connection.pk)
        if connection.write_visits:
            # The visits are written again, to the calendar now chosen.
            copies.queue_upcoming(connection=connection)
    return connection


def _replace(
    old: Connection, chosen: RemoteCalendar, credentials: secrets.Credentials, actor: User | None
) -> Connection:
    """Why a new connection: the events Acus wrote to the old calendar can only be deleted at the
    old address. Changing the address in place would strand them there for good; deleting them
    here would make the choice wait on the server, and fail or half-succeed with it. So a new
    connection takes over the chosen calendar (same name, credentials, pause and write target)
    and the old one goes through the removal flow: the push deletes its events, then its row."""
    write = old.write_visits
    copies.retire(old, now=timezone.now())  # turns its write_visits off before the new one's is on
    BusyRange.objects.filter(connection_id=old.pk).delete()
    new = Connection.objects.create(
        practitioner_id=old.practitioner_id,
        kind=Connection.Kind.CALDAV,
        name=old.name,
        host=host_of(chosen.url) or old.host,
        secret=secrets.seal({**credentials, "url": chosen.url}),
        paused=old.paused,
        write_visits=write,
    )
    _audit(new, CalendarEvent.Action.CONNECTED, actor, write_visits=write, calendar="chosen", replaces=old.pk)
    _audit(old, CalendarEvent.Action.REMOVED, actor, replaced_by=new.pk)
    _sync_after_commit(new.pk)
    if write:
        copies.queue_upcoming(connection=new)
    return new


def set_paused(*, connection: Connection, paused: bool, actor: User | None) -> Connection:
    """A paused calendar is not synced and its busy times stop blocking slots (calendars
    .selectors.busy_for); resuming syncs it at once."""
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if connection.paused == paused:
            return connection
        connection.paused = paused
        connection.save(update_fields=["paused"])
        _audit(connection, CalendarEvent.Action.CHANGED, actor, paused=paused)
        if not paused:
            _sync_after_commit(connection.pk)
            if connection.write_visits:
                copies.queue_upcoming(connection=connection)
    return connection


def set_write_target(*, connection: Connection, write: bool, actor: User | None) -> Connection:
    """Write the practitioner's visits to this calendar, or stop. At most one calendar per
    practitioner receives them (the database's calendar_one_write_target): choosing this one
    turns the previous one off in the same transaction."""
    if write and connection.kind != Connection.Kind.CALDAV:
        raise ValidationError({"write_visits": [_("Visits can only be written to a CalDAV calendar.")]})
    with transaction.atomic():
        Practitioner.objects.select_for_update().filter(pk=connection.practitioner_id).first()
        connection = Connection.objects.get(pk=connection.pk)
        if connection.write_visits == write:
            return connection
        if write:
            for previous in Connection.objects.filter(practitioner_id=connection.practitioner_id, write_visits=True):
                previous.write_visits = False
                previous.save(update_fields=["write_visits"])
                _audit(previous, CalendarEvent.Action.CHANGED, actor, write_visits=False)
        connection.write_visits = write
        connection.save(update_fields=["write_visits"])
        _audit(connection, CalendarEvent.Action.CHANGED, actor, write_visits=write)
        # The visits go to this calendar, and leave the one that had them.
        if write:
            copies.queue_upcoming(connection=connection)
        else:
            copies.forget_copies(practitioner_id=connection.practitioner_id)
    return connection


def rename(*, connection: Connection, name: str, actor: User | None) -> Connection:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the calendar a name.")]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [_("Use at most %(n)s characters.") % {"n": NAME_MAX}]})
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if connection.name == name:
            return connection
        connection.name = name
        connection.save(update_fields=["name"])
        _audit(connection, CalendarEvent.Action.CHANGED, actor, renamed=True)
    return connection


def remove_connection(*, connection: Connection, actor: User | None) -> None:
    """Forget the calendar: its busy times stop blocking slots at once and it is gone from every
    page and list. With no Acus visit in it, its row and credentials go now; otherwise they stay,
    invisible, until the push has deleted those events (or gave up: copies.REMOVAL_GIVE_UP). The
    audit keeps its history by number."""
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        _audit(connection, CalendarEvent.Action.REMOVED, actor)
        BusyRange.objects.filter(connection_id=connection.pk).delete()
        copies.retire(connection, now=timezone.now())
