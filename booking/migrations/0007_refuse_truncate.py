"""Append-only tables refuse TRUNCATE too (row triggers never see it)."""

from django.db import migrations

from core.db import refuse_truncate

TABLES = ["booking_appointmentevent", "booking_practitionerevent", "booking_erasurerequest"]


class Migration(migrations.Migration):
    dependencies = [("booking", "0006_retention_and_erasure")]

    operations = [refuse_truncate(table) for table in TABLES]
