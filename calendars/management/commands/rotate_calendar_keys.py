"""Re-encrypt every stored calendar credential with the first key in CALENDAR_KEYS.

Rotation: put the new key first in CALENDAR_KEYS (keep the old one after it), restart the web
and worker processes, run this, then remove the old key. Safe to run twice: a credential already
under the first key is re-encrypted under it again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from calendars import secrets
from calendars.models import CalendarEvent, Connection


class Command(BaseCommand):
    help = "Re-encrypt stored calendar credentials with the first key in CALENDAR_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        if not secrets.configured():
            raise CommandError("CALENDAR_KEYS is not set")
        done = 0
        # Removed ones too: the push still opens their credentials to delete their events.
        for pk in Connection.all_objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                connection = Connection.all_objects.select_for_update().get(pk=pk)
                try:
                    connection.secret = secrets.rotate(connection.secret)
                except secrets.NotConfigured as exc:
                    raise CommandError(f"calendar connection {pk} does not open with any key in CALENDAR_KEYS") from exc
                connection.save(update_fields=["secret"])
                CalendarEvent.objects.create(
                    practitioner_id=connection.practitioner_id,
                    connection_id=pk,
                    action=CalendarEvent.Action.KEYS_ROTATED,
                )
            done += 1
        self.stdout.write(f"re-encrypted {done} calendar connection(s) with the first key")
