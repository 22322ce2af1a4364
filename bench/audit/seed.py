"""Seeding: 100,000 signed consents on a correct hash chain, with their patients, practitioners and visits."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Patient, User
from bench.audit import ADMIN_EMAIL, SLUG, say
from bench.common import bench_database_url, ensure_database
from booking.models import Appointment, AppointmentType, Clinic, Credential, Practitioner
from consent import content, documents, integrity, services
from consent.models import (
    ChainHead,
    ConsentAccessLog,
    ConsentFormVersion,
    ConsentWithdrawal,
    ScreeningResponse,
    SignedConsent,
)

CONSENTS = 100_000
PATIENTS = 20_000
PRACTITIONERS = 20
BATCH = 5000
FIRST_NAMES = ["Ada", "Ben", "Cara", "Dev", "Elin", "Femi", "Gus", "Hana", "Ivo", "Jude", "Kemi", "Luca"]
LAST_NAMES = ["Smith", "Jones", "Patel", "Nowak", "Okafor", "Garcia", "Khan", "Murphy", "Rossi", "Chen"]


def seed(*, reset: bool) -> dict[str, Any]:
    created = ensure_database(drop_first=reset)
    say(f"database {bench_database_url()}: {'created' if created else 'exists'}")
    call_command("migrate", interactive=False, verbosity=0)
    if Clinic.objects.filter(slug=SLUG).exists():
        say("already seeded (pass --reset to start again)")
        return {"seeded": False, "consents": SignedConsent.objects.filter(scope=SLUG).count()}
    if SignedConsent.objects.exists():
        raise SystemExit("the database has other signed consents: seed an empty one (--reset)")
    started = clock.perf_counter()
    with transaction.atomic():
        _seed(random.Random(2026))
    seconds = clock.perf_counter() - started
    say(f"seeded in {seconds:.1f} s")
    with connection.cursor() as cursor:
        for table in (
            "consent_signedconsent",
            "consent_screeningresponse",
            "consent_consentwithdrawal",
            "consent_consentaccesslog",
            "booking_appointment",
            "accounts_patient",
            "accounts_user",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {"seeded": True, "seconds": round(seconds, 1), "consents": SignedConsent.objects.count()}


def _seed(rng: random.Random) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clinic = Clinic.objects.create(
        name="Bench Audit Physiotherapy", slug=SLUG, time_zone="Europe/London", jurisdiction="GB"
    )
    treatment = AppointmentType.objects.create(
        clinic=clinic, name="Dry needling", duration_minutes=60, involves_needling=True
    )
    admin = User.objects.create(
        email=ADMIN_EMAIL, role=User.Role.CLINIC_ADMIN, is_staff=True, password=make_password(None)
    )
    clinic.admins.add(admin)
    TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)

    forms = [
        services.publish_consent_form(scope=SLUG, material=(n == 3), **content.demo_consent_form()) for n in (1, 2, 3)
    ]
    questionnaire = services.publish_questionnaire(scope=SLUG, **content.demo_questionnaire())
    practitioners = _practitioners(clinic, treatment)
    patients = _patients(rng)
    say(f"  {len(practitioners)} practitioners, {len(patients)} patients")

    # Visits on a grid: 8 one-hour slots a day for each practitioner; at any one time
    # the 20 visits belong to 20 different patients, so nobody overlaps.
    first_day = (now - timedelta(days=600)).replace(hour=8, minute=0, second=0)
    per_day = 8 * PRACTITIONERS
    plans = []
    for i in range(CONSENTS):
        day, k = divmod(i, per_day)
        start = first_day + timedelta(days=day, hours=k // PRACTITIONERS)
        signed_at = start - timedelta(days=2, minutes=rng.randrange(0, 600))
        plans.append((signed_at, i, start, practitioners[k % PRACTITIONERS], patients[i % PATIENTS]))
    plans.sort(key=lambda p: (p[0], p[1]))  # the chain runs in signing order
    say(f"  planned {len(plans)} visits from {plans[0][2]:%Y-%m-%d} to {plans[-1][2]:%Y-%m-%d}")

    answers_clear = {item["id"]: _clear_answer(item) for item in questionnaire.items}
    review_item = next(
        (i for i in questionnaire.items if any(o.get("outcome") == "review" for o in i.get("options", []))), None
    )
    screenings = []
    for signed_at, _, _, _, patient in plans:
        answers, outcome = dict(answers_clear), "clear"
        if review_item is not None and rng.random() < 0.1:
            option = next(o for o in review_item["options"] if o.get("outcome") == "review")
            answers[review_item["id"]] = option["value"]
            outcome = "review"
        screenings.append(
            ScreeningResponse(
                patient_id=patient.pk,
                questionnaire_version=questionnaire,
                answers=answers,
                outcome=outcome,
                reasons=[],
                created_at=signed_at - timedelta(minutes=5),
            )
        )
    ScreeningResponse.objects.bulk_create(screenings, batch_size=BATCH)
    say("  screenings written")

    consents = _chain(rng, plans, screenings, forms, now)
    say("  consents written and chained")
    appointments = [
        Appointment(
            patient_id=patient.pk,
            practitioner_id=practitioner.pk,
            clinic=clinic,
            appointment_type=treatment,
            start=start,
            end=start + timedelta(hours=1),
            blocked_start=start,
            blocked_end=start + timedelta(hours=1),
            status=Appointment.Status.COMPLETED if start < now else Appointment.Status.CONFIRMED,
            time_zone=clinic.time_zone,
            screening_id=screening.pk,
            consent_id=consent.pk,
            created_at=signed_at,
        )
        for (signed_at, _, start, practitioner, patient), screening, consent in zip(
            plans, screenings, consents, strict=True
        )
    ]
    Appointment.objects.bulk_create(appointments, batch_size=BATCH)
    withdrawn = [c for c in consents if rng.random() < 0.05]
    users = dict(Patient.objects.filter(pk__in={c.patient_id for c in withdrawn}).values_list("pk", "user_id"))
    ConsentWithdrawal.objects.bulk_create(
        [
            ConsentWithdrawal(
                consent_id=c.pk, reason="withdrawn", by_id=users[c.patient_id], at=c.signed_at + timedelta(days=30)
            )
            for c in withdrawn
        ],
        batch_size=BATCH,
    )
    ConsentAccessLog.objects.bulk_create(
        [
            ConsentAccessLog(
                consent_id=rng.choice(consents).pk,
                user=admin,
                role="clinic_admin",
                action="view",
                channel="staff_page",
                ip_address="127.0.0.1",
                at=now - timedelta(minutes=n),
            )
            for n in range(20_000)
        ],
        batch_size=BATCH,
    )
    say(f"  {len(appointments)} visits, {len(withdrawn)} withdrawals, 20,000 access rows")


def _clear_answer(item: dict[str, Any]) -> str:
    if item["type"] == "text":
        return ""
    return next(o["value"] for o in item["options"] if o.get("outcome", "clear") == "clear")


UNUSABLE = make_password(None)


def _practitioners(clinic: Clinic, treatment: AppointmentType) -> list[Practitioner]:
    users = User.objects.bulk_create(
        [
            User(email=f"audit-practitioner-{i:02d}@bench.acus.example", role=User.Role.PRACTITIONER, password=UNUSABLE)
            for i in range(PRACTITIONERS)
        ]
    )
    practitioners = Practitioner.objects.bulk_create(
        [Practitioner(user=u, display_name=f"Audit Practitioner {i:02d}") for i, u in enumerate(users)]
    )
    for p in practitioners:
        p.clinics.add(clinic)
        p.appointment_types.add(treatment)
    Credential.objects.bulk_create(
        [
            Credential(
                practitioner=p,
                kind=Credential.Kind.DRY_NEEDLING,
                jurisdiction="GB",
                number=f"DN{p.pk:06d}",
                issuer="Bench Academy",
                valid_from=datetime(2020, 1, 1, tzinfo=UTC).date(),
            )
            for p in practitioners
        ]
    )
    return practitioners


def _patients(rng: random.Random) -> list[Patient]:
    users = User.objects.bulk_create(
        [User(email=f"patient{i:05d}@bench.acus.example", password=UNUSABLE) for i in range(PATIENTS)],
        batch_size=BATCH,
    )
    return Patient.objects.bulk_create(
        [
            Patient(
                user=u,
                legal_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}{i}",
                date_of_birth=datetime(1950 + i % 55, 1 + i % 12, 1 + i % 28, tzinfo=UTC).date(),
            )
            for i, u in enumerate(users)
        ],
        batch_size=BATCH,
    )


def _chain(
    rng: random.Random,
    plans: list[tuple[datetime, int, datetime, Practitioner, Patient]],
    screenings: list[ScreeningResponse],
    forms: list[ConsentFormVersion],
    now: datetime,
) -> list[SignedConsent]:
    """Signed consents with a correct hash chain, in signing order."""
    texts: dict[tuple[int, str], str] = {}
    previous = integrity.GENESIS
    rows = []
    span = plans[-1][0] - plans[0][0]
    for sequence, ((signed_at, _, _, practitioner, patient), screening) in enumerate(
        zip(plans, screenings, strict=True), start=1
    ):
        form = forms[min(2, int(3 * (signed_at - plans[0][0]) / span))]
        context = {
            "clinic_name": "Bench Audit Physiotherapy",
            "practitioner_name": practitioner.display_name,
            "practitioner_disclosure": f"{practitioner.display_name} holds a dry-needling certification.",
        }
        key = (form.pk, practitioner.display_name)
        if key not in texts:
            texts[key] = documents.sha256_text(documents.render_text(form.canonical(), context))
        guardian = rng.random() < 0.03
        fields: dict[str, Any] = {
            "sequence": sequence,
            "patient_id": patient.pk,
            "form_version_id": form.pk,
            "form_sha256": form.content_sha256,
            "rendered_text_sha256": texts[key],
            "render_context": context,
            "screening_id": screening.pk,
            "signer_role": "guardian" if guardian else "patient",
            "typed_name": "Gail Guardian" if guardian else patient.legal_name,
            "guardian_relationship": "mother" if guardian else "",
            "guardian_authority": "I have parental responsibility." if guardian else "",
            "minor_assent": True if guardian else None,
            "signature_svg": "",
            "acknowledgements": sorted(a["id"] for a in form.acknowledgements),
            "intent_statement": documents.fill(form.intent_statement, context),
            "e_records_accepted": True,
            "signed_at": signed_at,
            "ip_address": f"198.51.100.{sequence % 250 + 1}",
            "user_agent": "Mozilla/5.0 (bench)",
            "auth_method": "emailed one-time code, web session",
            "authenticated_at": signed_at - timedelta(minutes=10),
            "scope": SLUG,
            "previous_hash": previous,
        }
        previous = integrity.row_hash(fields)
        rows.append(SignedConsent(row_hash=previous, **fields))
    consents = SignedConsent.objects.bulk_create(rows, batch_size=BATCH)
    ChainHead.objects.update_or_create(singleton=True, defaults={"last_hash": previous, "count": len(rows)})
    return consents
