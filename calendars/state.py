"""A connection's state as practitioners and admins read it, decided in one place (pages, the API
and the stale-calendar emails all ask here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from booking.models import Clinic
from calendars.models import CalendarSettings, Connection

DEFAULT_STALE_AFTER = CalendarSettings._meta.get_field("stale_after").default


class State(TextChoices):
    OK = "ok", _("Up to date")
    NEVER_SYNCED = "never_synced", _("Not read yet")
    FAILING = "failing", _("Last sync failed")  # failing, but not for long enough to be stale
    STALE = "stale", _("Out of date")
    PAUSED = "paused", _("Paused")


def is_stale(connection: Connection, *, stale_after: timedelta, now: datetime) -> bool:
    """Failing, and no good sync for longer than the clinic allows (since it was connected, if
    it never synced). A paused calendar is not stale: nobody expects it to sync."""
    if connection.paused or not connection.last_failure:
        return False
    since = connection.last_success_at or connection.created_at
    return now - since > stale_after


def connection_state(connection: Connection, *, stale_after: timedelta, now: datetime) -> State:
    if connection.paused:
        return State.PAUSED
    if is_stale(connection, stale_after=stale_after, now=now):
        return State.STALE
    if connection.last_failure:
        return State.FAILING
    if connection.last_success_at is None:
        return State.NEVER_SYNCED
    return State.OK


def stale_after_for(connection: Connection) -> timedelta:
    """The shortest threshold among the practitioner's clinics (a practitioner working at two
    clinics is told as soon as either would want to know)."""
    clinic_ids = list(connection.practitioner.clinics.values_list("pk", flat=True))
    chosen = dict(CalendarSettings.objects.filter(clinic_id__in=clinic_ids).values_list("clinic_id", "stale_after"))
    return min((chosen.get(pk, DEFAULT_STALE_AFTER) for pk in clinic_ids), default=DEFAULT_STALE_AFTER)


def zone_for(connection: Connection) -> ZoneInfo:
    """Where the practitioner works, for reading all-day and floating times and for showing sync
    times: their first clinic's zone (UTC if they have none)."""
    return zone_of(list(connection.practitioner.clinics.order_by("pk")[:1]))


def zone_of(clinics: Sequence[Clinic]) -> ZoneInfo:
    """The rule itself, for callers that have the practitioner's clinics (in pk order) already."""
    return clinics[0].zone if clinics else ZoneInfo("UTC")
