"""Signed records are never changed or removed: PostgreSQL refuses it (the app never tries)."""

from django.db import migrations

from core.db import append_only

TABLES = [
    "consent_consentformversion",
    "consent_questionnaireversion",
    "consent_screeningresponse",
    "consent_signedconsent",
    "consent_consentwithdrawal",
    "consent_screeningreview",
    "consent_consentaccesslog",
]


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [append_only(table) for table in TABLES]
