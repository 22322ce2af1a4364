"""Busy time from a calendar (its ranges, and whether the calendar is paused) changes a
practitioner's free time: bump their schedule version as booking's own tables do."""

from django.db import migrations

from booking.schedule_triggers import installer

TABLES = ["calendars_busyrange", "calendars_connection"]


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0012_schedule_versions"),
        ("calendars", "0001_calendar_sync"),
    ]

    operations = [migrations.RunPython(*installer(TABLES, with_function=False))]
