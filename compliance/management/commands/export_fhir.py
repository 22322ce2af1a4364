"""manage.py export_fhir --patient EMAIL: the patient's record as a FHIR R4B Bundle on standard output.

Like every export it is logged: a ConsentExport row and one access row per consent,
in the transaction that reads them. --by names the staff member running it; without
it the rows name a dedicated, inactive "command line" account."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Patient, User, normalise_email
from booking.models import Clinic
from compliance import exports
from consent.fhir.validation import FhirInvalid

COMMAND_LINE_USER = "command-line@acus.invalid"


class Command(BaseCommand):
    help = "Print a patient's appointments, screenings and consents as a validated FHIR R4B Bundle (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", required=True, metavar="EMAIL", help="The patient's sign-in email")
        parser.add_argument("--by", metavar="EMAIL", help="The staff member exporting (recorded in the access log)")
        parser.add_argument("--clinic", metavar="SLUG", help="Only this clinic's records (default: every clinic)")

    def handle(self, *args: Any, **options: Any) -> None:
        patient = Patient.objects.select_related("user").filter(user__email=normalise_email(options["patient"])).first()
        if patient is None:
            raise CommandError(f"No patient signs in with {options['patient']}.")
        clinics = Clinic.objects.order_by("pk")
        if options["clinic"]:
            clinics = clinics.filter(slug=options["clinic"])
            if not clinics:
                raise CommandError(f"No clinic has the slug {options['clinic']!r}.")
        actor = self._actor(options["by"])
        try:
            bundle = exports.patient_bundle(patient, clinics=list(clinics), actor=actor)
        except FhirInvalid as exc:
            raise CommandError(f"The bundle did not validate: {exc}") from None
        self.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False))

    def _actor(self, by: str | None) -> exports.Actor:
        if by:
            user = User.objects.filter(email=normalise_email(by)).first()
            if user is None or not user.is_clinic_staff:
                raise CommandError(f"{by} is not a staff account.")
            return exports.Actor(user, user.role, "command", None)
        user, _ = User.objects.get_or_create(
            email=COMMAND_LINE_USER,
            defaults={"role": User.Role.CLINIC_ADMIN, "is_active": False, "password": make_password(None)},
        )
        return exports.Actor(user, "command", "command", None)
