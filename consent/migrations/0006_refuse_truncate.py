"""Append-only tables refuse TRUNCATE too (row triggers never see it): before this,
`TRUNCATE consent_signedconsent CASCADE` emptied the signed consents without a word."""

from django.db import migrations

from core.db import refuse_truncate

TABLES = [
    "consent_consentformversion",
    "consent_questionnaireversion",
    "consent_screeningresponse",
    "consent_signedconsent",
    "consent_consentwithdrawal",
    "consent_screeningreview",
    "consent_consentaccesslog",
    "consent_consentexport",
    "consent_chainverification",
]


class Migration(migrations.Migration):
    dependencies = [("consent", "0005_verification_records_chain_end")]

    operations = [refuse_truncate(table) for table in TABLES]
