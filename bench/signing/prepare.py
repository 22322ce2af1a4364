"""A round's work, made before the clock starts: for each signature a held needling visit
(written directly, an hour apart per practitioner after every visit the clinic already has, so
none overlap) and the patient's clear screening for it, recorded through booking.consent_flow.

Within a round each task is a different patient, so every screening is its patient's latest,
as signing requires; patients are reused across rounds (a new screening, a later visit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from accounts.models import Patient
from bench.signing import clinic_slug, figures
from bench.signing.figures import Task
from bench.signing.seed import patients_of
from booking import consent_flow
from booking.models import Appointment, Clinic, Practitioner
from consent import selectors
from consent.models import QuestionnaireVersion

HOLD = timedelta(hours=2)  # long enough for any round: an expired hold cannot be signed


def prepare_round(assignment: list[int], per_signer: int) -> list[list[Task]]:
    """One list of tasks per signer, from its clinic's visits made for this round."""
    needed = figures.tasks_per_clinic(assignment, per_signer)
    made = {clinic: _tasks_for(clinic, count) for clinic, count in needed.items()}
    taken = dict.fromkeys(needed, 0)
    out = []
    for clinic in assignment:
        first = taken[clinic]
        out.append(made[clinic][first : first + per_signer])
        taken[clinic] = first + per_signer
    return out


def clear_answers(questionnaire: QuestionnaireVersion) -> dict[str, Any]:
    """Every required question answered the way that raises no flag (text left empty)."""
    answers: dict[str, Any] = {}
    for item in questionnaire.canonical()["items"]:
        if not item.get("required"):
            continue
        if item["type"] == "text":
            answers[item["id"]] = ""
        else:
            clear = [o["value"] for o in item["options"] if o.get("outcome", "clear") == "clear"]
            # "no" where it is clear: a "yes" that is clear alone may join a combined rule (review).
            answers[item["id"]] = "no" if "no" in clear else clear[0]
    return answers


def _tasks_for(index: int, count: int) -> list[Task]:
    slug = clinic_slug(index)
    clinic = Clinic.objects.get(slug=slug)
    treatment = clinic.appointment_types.get(involves_needling=True)
    practitioners = list(Practitioner.objects.filter(clinics=clinic).order_by("pk"))
    patient_ids = patients_of(slug)[:count]
    if len(patient_ids) < count:
        raise SystemExit(f"{slug} has {len(patient_ids)} patients; a round needs {count} (seed with more --patients)")
    now = timezone.now()
    latest = Appointment.objects.filter(clinic=clinic).aggregate(end=Max("blocked_end"))["end"]
    base = max(latest or now, now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    length = timedelta(minutes=treatment.duration_minutes)
    after = timedelta(minutes=treatment.buffer_after_minutes)
    visits = []
    for n, patient_id in enumerate(patient_ids):
        start = base + timedelta(hours=n // len(practitioners))
        visits.append(
            Appointment(
                patient_id=patient_id,
                practitioner=practitioners[n % len(practitioners)],
                clinic=clinic,
                appointment_type=treatment,
                start=start,
                end=start + length,
                blocked_start=start,
                blocked_end=start + length + after,
                status=Appointment.Status.HELD,
                hold_expires_at=now + HOLD,
                time_zone=clinic.time_zone,
                created_at=now,
            )
        )
    Appointment.objects.bulk_create(visits, batch_size=2000)
    questionnaire = selectors.current_questionnaire(slug)
    if questionnaire is None:
        raise SystemExit(f"{slug} has no questionnaire: seed again with --reset")
    answers = clear_answers(questionnaire)
    patients = Patient.objects.in_bulk(patient_ids)
    tasks = []
    for visit in visits:
        screening = consent_flow.screen(
            patients[visit.patient_id],
            questionnaire=questionnaire,
            answers=answers,
            clinic=clinic,
            visit_day=visit.start.astimezone(clinic.zone).date(),
        )
        tasks.append(Task(visit.pk, visit.patient_id, screening.pk))
    return tasks
