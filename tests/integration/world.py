"""A small clinic world for tests that drive the API as its clients do: the demo clinic
(as `manage.py seed_demo` makes it) and two patients, alice and bob, who each own a
needling visit confirmed by a signed consent, a held visit without needling and a past
visit; alice also has a visit waiting for a practitioner's review. Each has an active plan of
care with their practitioner; alice's has a course visit (her signed needling visit), an NPRS
baseline, a prescribed exercise ticked yesterday and a daily reminder, so the course's
endpoints meet real ids. With API tokens for both and a clinic admin's session that passed TOTP."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Patient, User
from booking import consent_flow, selectors, services
from booking.demo import CLINIC_SLUG
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from care.models import (
    CarePlan,
    CourseVisit,
    Exercise,
    ExerciseLog,
    ExerciseReminder,
    OutcomeScore,
    PlanExercise,
    PlanStatus,
    Timepoint,
)
from care.services import plans as plan_services
from consent import selectors as consent_selectors
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent
from tests.accounts.factories import make_patient
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import insert_appointment
from waitlist.models import Entry

ADMIN_EMAIL = "admin@example.com"


@dataclass
class Holdings:
    """What one patient owns."""

    patient: Patient
    token: str
    consents: list[SignedConsent] = field(default_factory=list)
    screenings: list[ScreeningResponse] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    plans: list[CarePlan] = field(default_factory=list)
    prescriptions: list[PlanExercise] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


@dataclass
class DemoClinic:
    clinic: Clinic
    needling: AppointmentType
    plain: AppointmentType
    practitioners: list[Practitioner]
    form: ConsentFormVersion
    questionnaire: QuestionnaireVersion


@dataclass
class World:
    demo: DemoClinic
    alice: Holdings
    bob: Holdings
    staff_session: str
    free_starts: list[str]
    exercises: list[Exercise] = field(default_factory=list)


def seed_demo_clinic() -> DemoClinic:
    call_command("seed_demo", "--allow-production", "--quiet-sign-ins")
    clinic = Clinic.objects.get(slug=CLINIC_SLUG)
    kinds = list(AppointmentType.objects.filter(clinic=clinic, active=True).order_by("position"))
    form = consent_selectors.current_form(clinic.slug)
    questionnaire = consent_selectors.current_questionnaire(clinic.slug)
    assert form is not None and questionnaire is not None
    return DemoClinic(
        clinic=clinic,
        needling=next(k for k in kinds if k.involves_needling),
        plain=next(k for k in kinds if not k.involves_needling),
        practitioners=list(Practitioner.objects.filter(clinics=clinic).order_by("id")),
        form=form,
        questionnaire=questionnaire,
    )


def clear_answers(questionnaire: QuestionnaireVersion) -> dict[str, str]:
    """Every required question answered the way that raises no flag."""
    answers = {}
    for item in questionnaire.canonical()["items"]:
        if item.get("required"):
            answers[item["id"]] = next(o["value"] for o in item["options"] if o["outcome"] == "clear")
    return answers


def free_starts(kind: AppointmentType, practitioner: Practitioner | None, *, now: datetime) -> list[datetime]:
    slots = selectors.available_slots(
        appointment_type=kind, practitioner=practitioner, start=now, end=now + timedelta(days=30), now=now
    )
    assert slots, f"no free slot for {kind}"
    return [slot.start for slot in slots]


def _sign(demo: DemoClinic, patient: Patient, practitioner: Practitioner, answers: dict[str, str]) -> SignedConsent:
    now = timezone.now()
    start = free_starts(demo.needling, practitioner, now=now)[0]
    held = services.hold_appointment(patient, appointment_type=demo.needling, practitioner=practitioner, start=start)
    screening = consent_flow.screen(
        patient, questionnaire=demo.questionnaire, answers=answers, clinic=demo.clinic, visit_day=start.date()
    )
    return consent_flow.sign_for_appointment(
        patient,
        appointment_id=held.pk,
        request=consent_flow.SignatureRequest(
            form=demo.form,
            screening=screening,
            typed_name=patient.legal_name,
            acknowledgements=[a["id"] for a in demo.form.canonical()["acknowledgements"]],
            e_records_accepted=True,
            guardian=None,
            signature_svg="",
            ip_address="127.0.0.1",
            user_agent="tests",
            auth_method="emailed one-time code, API token",
            authenticated_at=now,
        ),
    )


def _holdings(demo: DemoClinic, patient: Patient, practitioner: Practitioner, *, days_ago: int) -> Holdings:
    now = timezone.now()
    clear = clear_answers(demo.questionnaire)
    consent = _sign(demo, patient, practitioner, clear)
    start = free_starts(demo.plain, practitioner, now=now)[0]
    held = services.hold_appointment(patient, appointment_type=demo.plain, practitioner=practitioner, start=start)
    past_start = (now - timedelta(days=days_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
    past = insert_appointment(patient, practitioner, demo.plain, past_start, status=Appointment.Status.COMPLETED)
    token, _ = Token.objects.get_or_create(user=patient.user)
    return Holdings(
        patient=patient,
        token=token.key,
        consents=[consent],
        screenings=[consent.screening],
        appointments=[*consent.appointments.all(), held, past],
    )


def build_world() -> World:
    demo = seed_demo_clinic()
    first, last = demo.practitioners[0], demo.practitioners[-1]
    alice = _holdings(demo, Patient.objects.get(user__email="patient@example.com"), first, days_ago=3)
    bob = _holdings(demo, make_patient("bob.other@example.com", legal_name="Bob Other"), last, days_ago=4)
    # A visit waiting for review: a medicine named in the screening asks a practitioner to look.
    review = _sign(demo, alice.patient, first, {**clear_answers(demo.questionnaire), "medicines": "ibuprofen"})
    alice.consents.append(review)
    alice.screenings.append(review.screening)
    alice.appointments.extend(review.appointments.all())
    bob.plans.append(active_plan(demo, bob.patient, last))
    exercise = _course(demo, alice, first)
    alice.entries.append(_waiting_entry(demo, alice.patient))
    staff = verified_staff_client(User.objects.get(email=ADMIN_EMAIL), Client())
    now = timezone.now()
    return World(
        demo=demo,
        alice=alice,
        bob=bob,
        staff_session=staff.cookies["sessionid"].value,
        free_starts=[start.isoformat() for start in free_starts(demo.plain, None, now=now)[:20:4]],
        exercises=[exercise],
    )


def active_plan(demo: DemoClinic, patient: Patient, practitioner: Practitioner) -> CarePlan:
    """A plan proposed by `practitioner` through the service and made active, as a course in progress."""
    plan = plan_services.create_plan(
        practitioner_user=practitioner.user,
        patient=patient,
        clinic=demo.clinic,
        appointment_type=demo.needling,
        data=plan_services.PlanInput(
            problem="Neck pain after long days at the desk",
            body_region="neck",
            goals=["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"],
            sessions_planned=6,
            spacing_days=7,
            measures=["nprs", "psfs"],
            review_on=timezone.localdate() + timedelta(days=42),
        ),
    )
    return plan_services.change_status(plan=plan, to=PlanStatus.ACTIVE, by=practitioner.user, note="")


def _course(demo: DemoClinic, alice: Holdings, practitioner: Practitioner) -> Exercise:
    """Alice's plan with a row of each kind the course's endpoints read. Written with the ORM:
    the services that write them belong to their own parts of the course."""
    plan = active_plan(demo, alice.patient, practitioner)
    alice.plans.append(plan)
    visit = alice.consents[0].appointments.first()
    assert visit is not None
    CourseVisit.objects.create(plan=plan, appointment=visit, number=1)
    OutcomeScore.objects.create(
        plan=plan,
        instrument="nprs",
        timepoint=Timepoint.BASELINE,
        answers={"pain": 6},
        score=Decimal(6),
        baseline=Decimal(6),
        change=Decimal(0),
        change_percent=Decimal(0),
        answered_by=alice.patient.user,
    )
    exercise = Exercise.objects.create(
        clinic=demo.clinic,
        name="Chin tucks",
        instructions="Sit tall. Draw your chin straight back, hold, then relax.",
        sets=2,
        repetitions=10,
        hold_seconds=5,
        times_a_day=2,
    )
    today = timezone.localdate()
    prescription = PlanExercise.objects.create(
        plan=plan,
        exercise=exercise,
        sets=2,
        repetitions=10,
        hold_seconds=5,
        times_a_day=2,
        start_on=today - timedelta(days=3),
    )
    alice.prescriptions.append(prescription)
    ExerciseLog.objects.create(prescription=prescription, day=today - timedelta(days=1))
    ExerciseReminder.objects.create(plan=plan, at=time(18, 30), stop_token=secrets.token_urlsafe(32))
    return exercise


def _waiting_entry(demo: DemoClinic, patient: Patient) -> Entry:
    """A waiting waitlist entry: plain visits with anyone, any day, in the coming month."""
    today = timezone.now().astimezone(ZoneInfo(demo.clinic.time_zone)).date()
    return Entry.objects.create(
        patient=patient,
        clinic=demo.clinic,
        appointment_type=demo.plain,
        first_day=today,
        last_day=today + timedelta(days=30),
        notice_minutes=120,
    )
