from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts import demo as account_demo
from accounts.models import User
from booking import demo as booking_demo
from consent import demo as consent_demo


class Command(BaseCommand):
    help = "Create a demo clinic, its staff and a patient. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="Seed even with DEBUG off (the demo passwords are public)."
        )
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusing to seed demo accounts with DEBUG off; pass --allow-production to insist.")
        with transaction.atomic():
            patient, staff = account_demo.seed_people()
            admin = User.objects.get(email=account_demo.STAFF[0][0])
            clinic = booking_demo.seed_clinic(admin)
            clinic.admins.add(admin)
            form, questionnaire = consent_demo.seed_documents(clinic.slug)
        if options["quiet_sign_ins"]:
            return
        out = self.stdout.write
        out(self.style.MIGRATE_HEADING(f"Demo clinic: {clinic.name} ({clinic.time_zone}), slug {clinic.slug}"))
        out(f"  Consent form v{form.version} ({form.content_sha256[:12]}…), questionnaire v{questionnaire.version}")
        out(self.style.MIGRATE_HEADING("Demo sign-ins"))
        out(f"  Patient: {patient.user.email} at {settings.SITE_URL}/signin/ — the code appears in this console.")
        out(f"  Staff sign-in: {settings.SITE_URL}/staff/signin/ with password {account_demo.DEMO_PASSWORD!r}")
        for person in staff:
            out(f"    {person.role:<13} {person.email:<26} TOTP secret {person.totp_secret}")
            out(f"      backup codes: {' '.join(person.backup_codes)}")
        out("  No authenticator app at hand? .venv/bin/python manage.py totp_code EMAIL prints the current code.")
