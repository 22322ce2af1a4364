"""How fast are the FHIR Slot search and a full SMART Scheduling Links publish?

    .venv/bin/python -m bench.fhir          # seeds its own clinic once (idempotent), then times

Its own clinic (slug acus-bench-fhir, in BENCH_DATABASE_URL like the other benches): 20
practitioners working 08:00-18:00 Monday to Friday (Europe/London), one 45-minute treatment and
about a third of the next 28 days booked (confirmed visits laid out on a grid, no overlaps).

  (a) Slot search for the 20 practitioners over 28 days, through the FHIR view: Django's test
      Client in-process (`GET /fhir/R4/Slot?service-type=<t>&start=ge..&start=lt..` with a
      slots:read key; URL routing, authentication, the audit row and the JSON rendering
      included; every page of the Bundle is the first `_count` answers) -> target median < 100 ms
  (b) a full bulk publish of the clinic: interop.publishing.publish_clinic (all three files
      generated and stored) -> target median < 1 s
Writes bench/results/fhir-<time>.json and fhir-latest.json."""

from __future__ import annotations

import statistics
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import ensure_database, load_average, migrate, setup_django, summary_ms, write_result

setup_django()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Patient, User  # noqa: E402
from booking.models import Appointment, AppointmentType, Clinic, Practitioner, WorkingHours  # noqa: E402
from interop import publishing  # noqa: E402
from interop.keys import issue_key  # noqa: E402
from interop.models import Scope  # noqa: E402

SLUG = "acus-bench-fhir"
ZONE = ZoneInfo("Europe/London")
PRACTITIONERS = 20
BOOKED_HOURS = (8, 11, 14)  # three 45-minute visits a day each: about a third of the day
RUNS = 20


def _seed() -> Clinic:
    found = Clinic.objects.filter(slug=SLUG).first()
    if found is not None:
        return found
    with transaction.atomic():
        clinic = Clinic.objects.create(
            name="Bench FHIR Physiotherapy",
            slug=SLUG,
            time_zone="Europe/London",
            phone="+44 20 7946 0001",
            jurisdiction="GB",
            max_advance_days=60,
        )
        kind = AppointmentType.objects.create(clinic=clinic, name="Assessment", duration_minutes=45)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"fhir-bench-{i:02d}@bench.acus.example",
                    role=User.Role.PRACTITIONER,
                    password=make_password(None),
                )
                for i in range(PRACTITIONERS)
            ]
        )
        people = Practitioner.objects.bulk_create(
            [Practitioner(user=u, display_name=f"FHIR Bench {i:02d}") for i, u in enumerate(users)]
        )
        for p in people:
            p.clinics.add(clinic)
            p.appointment_types.add(kind)
        WorkingHours.objects.bulk_create(
            [
                WorkingHours(practitioner=p, clinic=clinic, weekday=d, start=time(8), end=time(18))
                for p in people
                for d in range(5)
            ]
        )
        patient_users = User.objects.bulk_create(
            [User(email=f"fhir-bench-patient-{i}@bench.acus.example", role=User.Role.PATIENT) for i in range(80)]
        )
        patients = Patient.objects.bulk_create(
            [
                Patient(user=u, legal_name=f"Bench Patient {i}", date_of_birth=date(1980, 1, 1))
                for i, u in enumerate(patient_users)
            ]
        )
        today = timezone.now().astimezone(ZONE).date()
        rows = []
        for offset in range(1, 29):
            day = today + timedelta(days=offset)
            if day.weekday() > 4:
                continue
            n = 0
            for p in people:
                for hour in BOOKED_HOURS:
                    start = datetime.combine(day, time(hour), ZONE)
                    end = start + timedelta(minutes=45)
                    rows.append(
                        Appointment(
                            patient=patients[n % len(patients)],
                            practitioner=p,
                            clinic=clinic,
                            appointment_type=kind,
                            start=start,
                            end=end,
                            blocked_start=start,
                            blocked_end=end,
                            status=Appointment.Status.CONFIRMED,
                            time_zone="Europe/London",
                        )
                    )
                    n += 1
        Appointment.objects.bulk_create(rows, batch_size=1000)
    return clinic


def _median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def main() -> int:
    ensure_database()
    migrate()
    clinic = _seed()
    kind = AppointmentType.objects.get(clinic=clinic)

    _, key = issue_key(clinic=clinic, name="bench", scopes=[Scope.SLOTS_READ], actor=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="localhost")
    now = timezone.now()
    query = {
        "service-type": str(kind.pk),
        "start": [f"ge{now.date().isoformat()}", f"lt{(now + timedelta(days=28)).date().isoformat()}"],
    }
    search: list[float] = []
    total = 0
    for run in range(RUNS + 3):
        began = clock.perf_counter()
        response = client.get("/fhir/R4/Slot", query)
        took = clock.perf_counter() - began
        assert response.status_code == 200, response.content[:500]
        total = response.json().get("total", 0)
        if run >= 3:
            search.append(took)
    publish: list[float] = []
    lines = 0
    for run in range(6):
        began = clock.perf_counter()
        files = publishing.publish_clinic(clinic)
        took = clock.perf_counter() - began
        lines = files["Slot"].body.count("\n")
        if run >= 1:
            publish.append(took)
    result: dict[str, Any] = {
        "slot_search": {**summary_ms(search), "total_slots": total, "target_median_ms": 100},
        "bulk_publish": {**summary_ms(publish), "slot_lines": lines, "target_median_ms": 1000},
        "load_average": load_average(),
    }
    print(f"(a) Slot search, 20 practitioners x 28 days: median {_median_ms(search)} ms ({total} slots)")
    print(f"(b) bulk publish of the clinic: median {_median_ms(publish)} ms ({lines} Slot lines)")
    print(f"load average: {load_average()}")
    write_result("fhir", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
