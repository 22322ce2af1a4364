"""Demo clinic for `manage.py seed_demo`: three practitioners, three treatments. Idempotent."""

from __future__ import annotations

from datetime import date, time

from django.utils import timezone

from accounts.models import User
from booking.models import AppointmentType, Clinic, Credential, Practitioner, WorkingHours

CLINIC_SLUG = "harbour-physio"

TYPES = [
    # name, minutes, buffer before, buffer after, needling, description
    (
        "Initial assessment with dry needling",
        60,
        0,
        15,
        True,
        "A full assessment of your problem, then dry needling if it suits you. Allow an hour.",
    ),
    (
        "Follow-up dry needling",
        30,
        0,
        10,
        True,
        "A shorter visit to check progress and needle again. For patients who have already had an assessment.",
    ),
    (
        "Assessment without needling",
        45,
        0,
        10,
        False,
        "A full assessment and hands-on treatment or exercises, with no needles.",
    ),
]

# The treatments' and practitioners' words in Spanish and French (clinic data, not gettext:
# booking/models/wording.py), keyed by the English name or email above.
TREATMENT_WORDS = {
    "Initial assessment with dry needling": {
        "es": {
            "name": "Valoración inicial con punción seca",
            "description": "Una valoración completa de su problema y, si le conviene, punción seca. Reserve una hora.",
        },
        "fr": {
            "name": "Bilan initial avec puncture sèche",
            "description": "Un bilan complet de votre problème, puis une puncture sèche si elle vous convient. "
            "Prévoyez une heure.",
        },
    },
    "Follow-up dry needling": {
        "es": {
            "name": "Punción seca de seguimiento",
            "description": "Una visita más corta para ver cómo avanza y volver a aplicar la punción. "
            "Para pacientes que ya han tenido una valoración.",
        },
        "fr": {
            "name": "Puncture sèche de suivi",
            "description": "Une visite plus courte pour voir vos progrès et refaire une puncture. "
            "Pour les patients qui ont déjà eu un bilan.",
        },
    },
    "Assessment without needling": {
        "es": {
            "name": "Valoración sin punción",
            "description": "Una valoración completa y tratamiento manual o ejercicios, sin agujas.",
        },
        "fr": {
            "name": "Bilan sans puncture",
            "description": "Un bilan complet et un traitement manuel ou des exercices, sans aiguilles.",
        },
    },
}
BIO_WORDS = {
    "alex.morgan@example.com": {
        "es": {"bio": "Lesiones deportivas y de carrera; 9 años de experiencia en punción seca."},
        "fr": {"bio": "Blessures du sport et de la course à pied ; 9 ans de pratique de la puncture sèche."},
    },
    "priya.shah@example.com": {
        "es": {"bio": "Dolor de cuello, de hombro y por trabajo de oficina."},
        "fr": {"bio": "Douleurs du cou, des épaules et liées au travail de bureau."},
    },
    "tom.becker@example.com": {
        "es": {"bio": "Dolor de espalda y rehabilitación después de una operación."},
        "fr": {"bio": "Mal de dos et rééducation après une opération."},
    },
}

PEOPLE = [
    # email, display name, bio, weekly hours {weekday: [(start, end), ...]}
    (
        "alex.morgan@example.com",
        "Alex Morgan",
        "Sports and running injuries; 9 years of dry needling.",
        {d: [(time(9), time(12, 30)), (time(13, 30), time(17))] for d in (0, 1, 2, 3)},
    ),
    (
        "priya.shah@example.com",
        "Priya Shah",
        "Neck, shoulder and desk-work pain.",
        {d: [(time(8), time(12)), (time(13), time(16))] for d in (1, 2, 3, 4)},
    ),
    (
        "tom.becker@example.com",
        "Tom Becker",
        "Back pain and rehabilitation after surgery.",
        {**{d: [(time(12), time(19))] for d in (0, 2, 4)}, 5: [(time(9), time(13))]},
    ),
]


def seed_clinic(admin: User) -> Clinic:
    clinic, _ = Clinic.objects.get_or_create(
        slug=CLINIC_SLUG,
        defaults={
            "name": "Harbour Physiotherapy",
            "time_zone": "Europe/London",
            "address": "12 Quay Street, Bristol BS1 4DJ",
            "phone": "+44 117 496 0123",
            "email": "hello@harbour-physio.example",
            "jurisdiction": "GB",
        },
    )
    types = []
    for position, (name, minutes, before, after, needling, description) in enumerate(TYPES):
        kind, _ = AppointmentType.objects.get_or_create(
            clinic=clinic,
            name=name,
            defaults={
                "duration_minutes": minutes,
                "buffer_before_minutes": before,
                "buffer_after_minutes": after,
                "involves_needling": needling,
                "description": description,
                "position": position,
                "translations": TREATMENT_WORDS.get(name, {}),
            },
        )
        types.append(kind)
    for email, display_name, bio, hours in PEOPLE:
        _seed_practitioner(clinic, admin, types, email, display_name, bio, hours)
    return clinic


def _seed_practitioner(
    clinic: Clinic,
    admin: User,
    types: list[AppointmentType],
    email: str,
    display_name: str,
    bio: str,
    hours: dict[int, list[tuple[time, time]]],
) -> None:
    user = User.objects.get(email=email)
    practitioner, created = Practitioner.objects.get_or_create(
        user=user, defaults={"display_name": display_name, "bio": bio, "translations": BIO_WORDS.get(email, {})}
    )
    if not created:
        return
    practitioner.clinics.add(clinic)
    practitioner.appointment_types.add(*types)
    for weekday, windows in hours.items():
        for start, end in windows:
            WorkingHours.objects.create(practitioner=practitioner, clinic=clinic, weekday=weekday, start=start, end=end)
    today = timezone.localdate()
    Credential.objects.create(
        practitioner=practitioner,
        kind=Credential.Kind.LICENCE,
        jurisdiction="GB",
        number=f"PH{user.pk:06d}",
        issuer="Health and Care Professions Council",
        valid_from=date(today.year - 5, 1, 1),
        valid_until=date(today.year + 2, 12, 31),
        verified_by=admin,
        verified_at=timezone.now(),
    )
    Credential.objects.create(
        practitioner=practitioner,
        kind=Credential.Kind.DRY_NEEDLING,
        jurisdiction="GB",
        number=f"DN{user.pk:06d}",
        issuer="Acupuncture Association of Chartered Physiotherapists",
        training_hours=80,
        in_person_hours=54,
        supervised_sessions=30,
        valid_from=date(today.year - 2, 3, 1),
        valid_until=date(today.year + 1, 3, 1),
        verified_by=admin,
        verified_at=timezone.now(),
    )
