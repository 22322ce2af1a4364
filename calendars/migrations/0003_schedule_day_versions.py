"""Busy time from a calendar occupies spans: on PostgreSQL its ranges bump the versions of the
days they touch, as appointments and time off do (booking 0014), not the practitioner's."""

from django.db import migrations

from booking.schedule_triggers import day_installer


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0014_schedule_day_versions"),
        ("calendars", "0002_schedule_versions"),
    ]

    operations = [migrations.RunPython(*day_installer({"calendars_busyrange": ("start", "end")}, with_function=False))]
