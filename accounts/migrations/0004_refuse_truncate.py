"""Append-only tables refuse TRUNCATE too (row triggers never see it)."""

from django.db import migrations

from core.db import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_sign_in_challenges")]

    operations = [refuse_truncate("accounts_accountevent")]
