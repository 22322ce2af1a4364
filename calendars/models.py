"""Calendar sync: practitioners' own calendars, the busy time read from them, and the copies of
Acus visits written to them.

A Connection is one calendar a practitioner connected: a CalDAV calendar (server, username, app
password) or a read-only ICS address (the secret address Google and Outlook give, itself a
credential). Everything that opens the calendar is in `secret`, encrypted with the keys in
CALENDAR_KEYS (calendars/secrets.py); `host` alone is kept in the clear, to name it on pages.
A BusyRange is one span the calendar said was busy at the last good sync: only its times, never
a title or attendee, and availability subtracts it like time off (booking.blockers). A VisitCopy
is the outbox row for one appointment in the practitioner's chosen CalDAV calendar: `wanted` is
bumped in the booking's transaction, a task brings the remote event to the appointment's current
state and records `written`, so a retry, a duplicate or a reordering converges on the same event
(put or delete by a stable UID)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment, Clinic, Practitioner


class EventDetail(models.TextChoices):
    """What an Acus visit shows in a practitioner's own calendar. Never the treatment or any
    answer: health data never leaves Acus."""

    BUSY = "busy", _("Only “Acus visit”")
    INITIALS = "initials", _("The patient's initials")
    FULL_NAME = "full_name", _("The patient's full name")


class CalendarSettings(models.Model):
    """A clinic's choices for calendar sync (defaults apply while it has no row)."""

    clinic = models.OneToOneField(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="calendar_settings"
    )
    event_detail = models.CharField(
        _("what a visit shows in practitioners' calendars"),
        max_length=12,
        choices=EventDetail.choices,
        default=EventDetail.BUSY,
    )
    stale_after = models.DurationField(
        _("tell the practitioner and admins after a calendar has not synced for"),
        default=timedelta(hours=6),
    )

    class Meta:
        verbose_name = _("calendar sync settings")
        verbose_name_plural = _("calendar sync settings")
        constraints = [
            models.CheckConstraint(condition=Q(stale_after__gt=timedelta(0)), name="calendar_stale_after_positive")
        ]

    def __str__(self) -> str:
        return str(self.clinic)


class LiveConnections(models.Manager["Connection"]):
    """Connections that are not removed: the default manager, so pages, the API, the sync, busy
    time, the stale notices and the write target never see a removed one. Only the push (and key
    rotation, which must keep its credentials readable) use Connection.all_objects."""

    def get_queryset(self) -> models.QuerySet[Connection]:
        return super().get_queryset().filter(removed_at__isnull=True)


class AllConnections(models.Manager["Connection"]):
    """Removed connections too: for the push that deletes their events, and key rotation."""


class Connection(models.Model):
    class Kind(models.TextChoices):
        CALDAV = "caldav", _("CalDAV calendar")
        ICS = "ics", _("ICS address (read only)")

    class Failure(models.TextChoices):
        """Why the last sync failed: a code, never the server's words (they may echo a URL or a name)."""

        UNREACHABLE = "unreachable", _("The server could not be reached")
        TIMEOUT = "timeout", _("The server took too long to answer")
        TLS = "tls", _("The server's certificate could not be verified")
        AUTH = "auth", _("The server refused the username or password")
        NOT_FOUND = "not_found", _("The calendar was not found at that address")
        REFUSED_ADDRESS = "refused_address", _("That address is not allowed (a private or local network)")
        TOO_LARGE = "too_large", _("The calendar is larger than Acus accepts")
        INVALID = "invalid", _("The server's answer was not a calendar Acus could read")
        SERVER = "server", _("The server answered with an error")

    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("practitioner"), on_delete=models.CASCADE, related_name="calendar_connections"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # The host alone, for pages and lists: the path of an ICS address is its secret.
    host = models.CharField(_("server"), max_length=255)
    # Fernet token (calendars.secrets) of {"url", "username", "password"}: for CalDAV, `url` is the
    # calendar collection chosen when connecting; for ICS, the secret address.
    secret = models.TextField(editable=False)
    paused = models.BooleanField(_("paused"), default=False)
    # CalDAV only, at most one per practitioner: where Acus writes their visits.
    write_visits = models.BooleanField(_("write my Acus visits here"), default=False)
    created_at = models.DateTimeField(_("connected at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last sync attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last good sync"), null=True, blank=True)
    last_failure = models.CharField(_("last failure"), max_length=20, choices=Failure.choices, blank=True)
    failures = models.PositiveIntegerField(_("failed syncs in a row"), default=0)
    busy_count = models.PositiveIntegerField(_("busy times at the last good sync"), default=0)
    # The practitioner and the clinic's admins were told it is stale (cleared by the next good sync).
    stale_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A worker is syncing it (a lease, so two workers never sync one calendar at once).
    sync_leased_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Removed by the practitioner while Acus's copies of visits were still in the calendar: the
    # row (and its credentials) stays, invisible, only until the push has deleted them
    # (calendars.services.copies), or gives up after copies.REMOVAL_GIVE_UP.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The first manager is the default one (and the related managers'); a ForeignKey's access
    # (copy.connection) and cascades use the plain base manager, so they still reach removed rows.
    objects = LiveConnections()
    all_objects = AllConnections()

    class Meta:
        verbose_name = _("calendar connection")
        verbose_name_plural = _("calendar connections")
        ordering = ["practitioner", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner"], condition=Q(write_visits=True), name="calendar_one_write_target"
            ),
            models.CheckConstraint(
                condition=Q(write_visits=False) | Q(kind="caldav"), name="calendar_write_needs_caldav"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.host})"


class BusyRange(models.Model):
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="busy_ranges")
    # Copied from the connection so availability reads by practitioner with no join.
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["practitioner", "start"], name="calendar_busy_by_practitioner")]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="calendar_busy_end_after_start")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"


class VisitCopy(models.Model):
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="visit_copies")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    # Stable across moves and retries: the event's UID and the last part of its address.
    uid = models.CharField(max_length=120)
    wanted = models.PositiveIntegerField(default=1)  # bumped on every change of the visit
    written = models.PositiveIntegerField(default=0)  # the `wanted` the remote event last matched
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)  # failures in a row, for the backoff
    last_failure = models.CharField(max_length=20, choices=Connection.Failure.choices, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    exists = models.BooleanField(default=False)  # the event is in the calendar as far as Acus knows

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "appointment"], name="calendar_one_copy_per_visit"),
            models.UniqueConstraint(fields=["connection", "uid"], name="calendar_copy_uid_unique"),
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="calendar_copy_due")]

    def __str__(self) -> str:
        return self.uid


class CalendarEvent(models.Model):
    """Append-only audit of calendar sync: connected, tested, paused, removed, stale, recovered.
    `connection_id` is a plain number, so the history outlives a removed connection. `data` never
    holds a credential or an address's path."""

    class Action(models.TextChoices):
        CONNECTED = "connected"
        TESTED = "tested"
        CHANGED = "changed"  # name, chosen calendar, paused, write target
        REMOVED = "removed"
        STALE = "stale"  # the practitioner and admins were told
        RECOVERED = "recovered"
        KEYS_ROTATED = "keys_rotated"

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    connection_id = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("calendar sync event")
        verbose_name_plural = _("calendar sync events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
