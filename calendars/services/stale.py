"""Telling people a calendar is stale: once per outage, the practitioner and their clinics' admins.

A calendar is stale when it has been failing for longer than the clinic allows (calendars.state
decides). The notice is claimed with a compare-and-set on stale_notified_at, so two workers that
both see the calendar stale send one email; the next good sync clears it (calendars.services.sync),
so a later outage is told again. The email names the calendar and its host, never its address,
username or password."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from booking.models import Clinic
from calendars.models import CalendarEvent, Connection
from calendars.state import is_stale, stale_after_for
from core import formats
from core.language import supported

log = logging.getLogger(__name__)


def notify_if_stale(connection_id: int, *, now: datetime) -> bool:
    """Send the stale-calendar email if it is due and nobody sent it yet. True when sent."""
    connection = Connection.objects.select_related("practitioner__user").filter(pk=connection_id).first()
    if connection is None or connection.stale_notified_at is not None:
        return False
    if not is_stale(connection, stale_after=stale_after_for(connection), now=now):
        return False
    claimed = (
        Connection.objects.filter(pk=connection_id, stale_notified_at__isnull=True, paused=False)
        .exclude(last_failure="")
        .update(stale_notified_at=now)
    )
    if not claimed:
        return False
    clinics = list(Clinic.objects.filter(practitioners=connection.practitioner_id).order_by("pk"))
    recipients = _recipients(connection, clinics)
    try:
        # Each person reads it in their own language: one message per language.
        for language, emails in _by_language(recipients).items():
            with translation.override(language):
                send_mail(*_message(connection, clinics), recipient_list=emails)
    except Exception:
        # Not sent: let the next (failing) sync try again, rather than never.
        Connection.objects.filter(pk=connection_id, stale_notified_at=now).update(stale_notified_at=None)
        log.warning("calendar connection %s: the stale-calendar email could not be sent", connection_id)
        return False
    CalendarEvent.objects.create(
        practitioner_id=connection.practitioner_id,
        connection_id=connection_id,
        action=CalendarEvent.Action.STALE,
        at=now,
        data={
            "last_success_at": connection.last_success_at.astimezone(UTC).isoformat()
            if connection.last_success_at
            else None,
            "failure": connection.last_failure,
            "told": len(recipients),
        },
    )
    log.info("calendar connection %s is stale: %s people told", connection_id, len(recipients))
    return True


def _recipients(connection: Connection, clinics: list[Clinic]) -> dict[str, str]:
    """email -> stored language: the practitioner and every active admin of their clinics."""
    people = list(User.objects.filter(administered_clinics__in=clinics, is_active=True).distinct())
    people.append(connection.practitioner.user)
    return {person.email: person.language for person in people if person.email and person.is_active}


def _by_language(recipients: dict[str, str]) -> dict[str | None, list[str]]:
    groups: dict[str | None, list[str]] = {}
    for email in sorted(recipients):
        groups.setdefault(supported(recipients[email]), []).append(email)
    return groups


def _message(connection: Connection, clinics: list[Clinic]) -> tuple[str, str, str]:
    practitioner = connection.practitioner.display_name
    details = {"practitioner": practitioner, "name": connection.name, "host": connection.host}
    subject = _("%(practitioner)s's calendar “%(name)s” is out of date") % details
    if connection.last_success_at is None:
        opening = _(
            "Acus has not been able to read %(practitioner)s's calendar “%(name)s” (%(host)s) since it was connected."
        )
    else:
        # In the clinic's own time: that is the clock the practitioner and the admins work by.
        zone = clinics[0].zone if clinics else UTC
        details["when"] = formats.full_date_at(connection.last_success_at.astimezone(zone))
        opening = _("Acus has not been able to read %(practitioner)s's calendar “%(name)s” (%(host)s) since %(when)s.")
    body = "\n".join(
        [
            opening % details,
            "",
            _(
                "The busy times Acus last read from it still block bookings. Anything added to that "
                "calendar since then is not seen, so patients may book those times."
            ),
            "",
            _("Last problem: %(failure)s") % {"failure": connection.get_last_failure_display()},
            "",
            _("Check the calendar here: %(link)s") % {"link": f"{settings.SITE_URL}/staff/calendars/{connection.pk}/"},
        ]
    )
    return subject, body, settings.DEFAULT_FROM_EMAIL
