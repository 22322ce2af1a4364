"""Seeding: clinics with the demo consent documents, needling practitioners and patients.

Run once per database (a second run finds the clinics and adds nothing; --reset starts again).
Rows are written directly (bulk_create) except the consent form and questionnaire, which are
published through consent.demo as a clinic's admin would: what is measured is the signing."""

from __future__ import annotations

import random
import time as clock
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Patient, User
from bench.common import bench_database_url, ensure_database
from bench.signing import clinic_slug, say
from booking.models import AppointmentType, Clinic, Credential, Practitioner
from consent import demo

PRACTITIONERS = 10  # per clinic: a round's visits are spread over them, an hour apart
FIRST_NAMES = ["Ada", "Ben", "Cara", "Dev", "Elin", "Femi", "Gus", "Hana", "Ivo", "Jude", "Kemi", "Luca"]
LAST_NAMES = ["Smith", "Jones", "Patel", "Nowak", "Okafor", "Garcia", "Khan", "Murphy", "Rossi", "Chen"]


def seed(*, reset: bool, clinics: int, patients: int, rng_seed: int) -> dict[str, Any]:
    """Clinics 0 .. clinics-1, each with `patients` patients; the ones already there are kept."""
    created = ensure_database(drop_first=reset)
    say(f"database {bench_database_url()}: {'created' if created else 'exists'}")
    call_command("migrate", interactive=False, verbosity=0)
    started = clock.perf_counter()
    made = []
    for index in range(clinics):
        if Clinic.objects.filter(slug=clinic_slug(index)).exists():
            continue
        # One generator per clinic, so clinic 3 is the same whether or not clinics 0-2 existed.
        rng = random.Random(f"{rng_seed}-{index}")
        with transaction.atomic():
            _clinic(index, patients, rng)
        made.append(index)
    seconds = clock.perf_counter() - started
    if made:
        say(f"seeded clinics {made} in {seconds:.1f} s")
    else:
        say("clinics already seeded (pass --reset to start again)")
    return {"created": made, "seconds": round(seconds, 1)}


def _clinic(index: int, patients: int, rng: random.Random) -> None:
    slug = clinic_slug(index)
    clinic = Clinic.objects.create(
        name=f"Bench Signing Clinic {index:02d}", slug=slug, time_zone="Europe/London", jurisdiction="GB"
    )
    treatment = AppointmentType.objects.create(
        clinic=clinic, name="Dry needling", duration_minutes=45, buffer_after_minutes=15, involves_needling=True
    )
    admin = User.objects.create(
        email=f"{slug}-admin@bench.acus.example", role=User.Role.CLINIC_ADMIN, password=make_password(None)
    )
    clinic.admins.add(admin)
    demo.seed_documents(slug)  # the demo consent form and questionnaire, published for this clinic
    _practitioners(clinic, treatment, admin)
    _patients(slug, patients, rng)
    say(f"  {slug}: documents, {PRACTITIONERS} practitioners, {patients} patients")


def _practitioners(clinic: Clinic, treatment: AppointmentType, admin: User) -> None:
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"{clinic.slug}-p{n:02d}@bench.acus.example", role=User.Role.PRACTITIONER, password=unusable)
            for n in range(PRACTITIONERS)
        ]
    )
    people = Practitioner.objects.bulk_create(
        [Practitioner(user=u, display_name=f"Practitioner {n:02d} of {clinic.name}") for n, u in enumerate(users)]
    )
    for person in people:
        person.clinics.add(clinic)
        person.appointment_types.add(treatment)
    today = timezone.localdate()
    Credential.objects.bulk_create(
        [
            Credential(
                practitioner=person,
                kind=Credential.Kind.DRY_NEEDLING,
                jurisdiction="GB",
                number=f"DN{person.pk:06d}",
                issuer="Bench Academy",
                training_hours=80,
                in_person_hours=40,
                valid_from=date(today.year - 2, 1, 1),
                valid_until=date(today.year + 3, 12, 31),
                verified_by=admin,
                verified_at=timezone.now(),
            )
            for person in people
        ]
    )


def _patients(slug: str, count: int, rng: random.Random) -> None:
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"{slug}-patient-{n:05d}@bench.acus.example", password=unusable) for n in range(count)],
        batch_size=2000,
    )
    Patient.objects.bulk_create(
        [
            Patient(
                user=u,
                legal_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}{n}",
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50)),
            )
            for n, u in enumerate(users)
        ],
        batch_size=2000,
    )


def patients_of(slug: str) -> list[int]:
    """The clinic's bench patients' ids, in a fixed order."""
    return list(
        Patient.objects.filter(user__email__startswith=f"{slug}-patient-")
        .order_by("user__email")
        .values_list("pk", flat=True)
    )
