"""Discharging a plan: the status closes through the status history, the summary PDF is made in
the patient's language and kept with its SHA-256, and a plan is discharged once."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.models import Patient
from care.discharge_pdf import discharge_pdf
from care.discharge_summary import ScoreLine, Summary
from care.errors import InvalidInput
from care.models import CarePlan, CarePlanStatusChange, Discharge, PlanStatus
from care.services.discharge import AlreadyDischarged, NotOpen, discharge_plan
from tests.care.discharge_course import add_course, make_plan
from tests.core.i18n import english_left_in
from tests.workspace.factories import NOW, Desk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    plan = make_plan(desk, patient)
    add_course(desk, plan)
    return plan


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("goals_met", "completed"),
        ("goals_partly_met", "completed"),
        ("goals_not_met", "completed"),
        ("patient_stopped", "stopped"),
        ("referred_on", "stopped"),
    ],
)
def test_the_reason_decides_how_the_plan_closes(desk: Desk, plan: CarePlan, reason: str, status: str) -> None:
    discharge = discharge_plan(plan, reason=reason, note="", by=desk.alex.user)

    plan.refresh_from_db()
    assert plan.status == status
    last = CarePlanStatusChange.objects.filter(plan=plan).last()
    assert last is not None
    assert (last.from_status, last.to_status, last.by, last.at) == ("active", status, desk.alex.user, NOW)
    assert (discharge.reason, discharge.by, discharge.at) == (reason, desk.alex.user, NOW)


def test_the_summary_is_kept_with_its_hash_and_the_patients_language(desk: Desk, plan: CarePlan) -> None:
    discharge = discharge_plan(plan, reason="goals_met", note="  Keep walking daily.  ", by=desk.alex.user)

    stored = Discharge.objects.get(plan=plan)
    pdf = bytes(stored.summary_pdf)
    assert pdf.startswith(b"%PDF")
    assert stored.summary_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (stored.language, stored.note) == ("en-gb", "Keep walking daily.")
    assert discharge.pk == stored.pk


def test_the_summary_says_what_happened_in_the_course(desk: Desk, plan: CarePlan) -> None:
    text = text_of(
        bytes(discharge_plan(plan, reason="goals_met", note="Keep walking daily.", by=desk.alex.user).summary_pdf)
    )

    for expected in (
        "Pat Example",
        "Alex Morgan",
        "Harbour Physiotherapy",
        "Neck pain after long days at the desk",
        "Body region: Neck",
        "Turn my head when driving",
        "Reason: Goals met",
        "Sessions attended: 3 of 4 planned",
        "Numeric Pain Rating Scale",
        # The discharge score, not the later-numbered visit score, is the final one.
        "Baseline 6 (11 May 2026); final 2 (25 May 2026)",
        "Improvement: 4 points (66.7%)",
        "A meaningful change (threshold: Pain in general; source: Farrar et al., Pain 2001, PMID 11690728)",
        "Patient-Specific Functional Scale",
        "Improvement: 1 point (25%)",
        "Not a meaningful change (threshold: Small change",
        "Chin tucks: sets: 3, repetitions: 10, times a day: 2, hold: 5 seconds",
        "Upper trapezius stretch",
        "Bruising",
        "Keep walking daily.",
    ):
        assert expected in " ".join(text.split()), expected
    assert "Feeling better" not in text


def test_the_summary_is_in_spanish_for_a_spanish_speaking_patient(desk: Desk, plan: CarePlan) -> None:
    plan.patient.user.language = "es"
    plan.patient.user.save(update_fields=["language"])

    discharge = discharge_plan(plan, reason="referred_on", note="", by=desk.alex.user)

    text = " ".join(text_of(bytes(discharge.summary_pdf)).split())
    assert discharge.language == "es"
    assert "Resumen del alta" in text
    assert "Retracción de mentón" in text
    assert "Moratones" in text
    assert "Sessions attended" not in text
    assert not english_left_in(f"<main>{text.replace('Pat Example', '').replace('Alex Morgan', '')}</main>")


def test_an_on_hold_plan_resumes_then_completes(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient, status=PlanStatus.ON_HOLD)

    discharge_plan(plan, reason="goals_partly_met", note="", by=desk.alex.user)

    moves = list(CarePlanStatusChange.objects.filter(plan=plan).values_list("from_status", "to_status"))
    assert moves[-2:] == [("on_hold", "active"), ("active", "completed")]


def test_a_plan_is_discharged_once(desk: Desk, plan: CarePlan) -> None:
    discharge_plan(plan, reason="goals_met", note="", by=desk.alex.user)

    with pytest.raises(AlreadyDischarged) as refused:
        discharge_plan(plan, reason="goals_not_met", note="", by=desk.alex.user)

    assert refused.value.status == 409
    assert Discharge.objects.filter(plan=plan).count() == 1


def test_a_proposed_plan_is_not_discharged(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient, status=PlanStatus.PROPOSED)

    with pytest.raises(NotOpen):
        discharge_plan(plan, reason="goals_met", note="", by=desk.alex.user)

    assert not Discharge.objects.exists()
    assert CarePlan.objects.get(pk=plan.pk).status == "proposed"


def test_bad_input_names_its_field(desk: Desk, plan: CarePlan) -> None:
    with pytest.raises(InvalidInput) as refused:
        discharge_plan(plan, reason="bored", note="x" * 2001, by=desk.alex.user)

    assert set(refused.value.fields) == {"reason", "note"}
    assert CarePlan.objects.get(pk=plan.pk).status == "active"


def test_a_score_that_got_worse_says_so() -> None:
    line = ScoreLine(
        "nprs",
        Decimal(3),
        Decimal("4.5"),
        Decimal("-1.5"),
        Decimal("-50.0"),
        False,
        "farrar-2001",
        "Farrar et al., Pain 2001, PMID 11690728",
        date(2026, 5, 11),
        date(2026, 5, 25),
        "visit",
    )
    summary = Summary(
        plan_id=1,
        patient_name="Pat",
        practitioner_name="Alex",
        clinic_name="Harbour",
        zone="Europe/London",
        problem="Neck pain",
        body_region="neck",
        goals=(),
        started_on=date(2026, 5, 4),
        first_visit_on=None,
        last_visit_on=None,
        discharged_at=NOW,
        reason="goals_not_met",
        note="",
        sessions_attended=0,
        sessions_planned=1,
        scores=(line,),
        exercises=(),
        side_effects=(),
        language="en-gb",
    )

    text = " ".join(text_of(discharge_pdf(summary)).split())

    assert "Worse by 1.5 points (50%)" in text
    assert "Sessions attended: 0 of 1 planned" in text
    assert "No home exercises were prescribed." in text
    assert "None reported." in text
