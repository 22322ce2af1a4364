"""The discharge summary as a PDF (fpdf2), in the patient's language.

Same page, fonts (DejaVu, with a Latin-1 fallback) and paragraph style as the signed consent's
copy (consent.pdf), so the patient's record reads as one set of documents. Clinical words are
the instruments' own names and the thresholds' sources as stored with each score (FACTS.md
section 6); nothing here adds a figure."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from booking.models import SideEffect
from booking.models.wording import in_language
from care.builtin_instruments import BUILT_IN
from care.discharge_summary import ExerciseLine, ScoreLine, Summary
from care.models import BodyRegion, DischargeReason
from consent.pdf import _Pdf as Pdf  # the consent copy's page setup and fonts, shared on purpose
from core import formats


def discharge_pdf(summary: Summary) -> bytes:
    with translation.override(summary.language):
        return _render(summary)


def _render(summary: Summary) -> bytes:
    pdf = Pdf()
    pdf.set_title(_("Discharge summary"))
    pdf.add_page()
    pdf.para(_("Discharge summary"), style="B", size=16, gap=3)
    pdf.para(_("Patient: %(name)s") % {"name": summary.patient_name})
    pdf.para(_("Practitioner: %(name)s") % {"name": summary.practitioner_name})
    pdf.para(_("Clinic: %(name)s") % {"name": summary.clinic_name}, gap=4)

    pdf.para(_("Course of care"), style="B", size=12)
    pdf.para(_("Problem: %(problem)s") % {"problem": summary.problem})
    pdf.para(_("Body region: %(region)s") % {"region": _label(BodyRegion, summary.body_region)})
    if summary.goals:
        pdf.para(_("Goals, in the patient's words:"))
        for goal in summary.goals:
            pdf.para(f"• {goal}", gap=0.8)
    pdf.para(_("Plan started: %(day)s") % {"day": formats.long_date(summary.started_on)})
    if summary.first_visit_on and summary.last_visit_on:
        pdf.para(
            _("Sessions from %(first)s to %(last)s")
            % {"first": formats.long_date(summary.first_visit_on), "last": formats.long_date(summary.last_visit_on)}
        )
    discharged = summary.discharged_at.astimezone(ZoneInfo(summary.zone))
    pdf.para(_("Discharged: %(day)s") % {"day": formats.long_date(discharged)})
    pdf.para(_("Reason: %(reason)s") % {"reason": _label(DischargeReason, summary.reason)})
    pdf.para(
        ngettext(
            "Sessions attended: %(attended)s of %(planned)s planned",
            "Sessions attended: %(attended)s of %(planned)s planned",
            summary.sessions_planned,
        )
        % {"attended": summary.sessions_attended, "planned": summary.sessions_planned},
        gap=4,
    )

    pdf.para(_("Outcome scores"), style="B", size=12)
    if not summary.scores:
        pdf.para(_("No outcome scores were recorded."), gap=4)
    for line in summary.scores:
        _score(pdf, line)

    pdf.para(_("Home exercises"), style="B", size=12)
    if not summary.exercises:
        pdf.para(_("No home exercises were prescribed."), gap=4)
    for exercise in summary.exercises:
        _exercise(pdf, exercise)
    pdf.ln(2)

    pdf.para(_("Side effects reported in check-ins"), style="B", size=12)
    if not summary.side_effects:
        pdf.para(_("None reported."), gap=4)
    for report in summary.side_effects:
        effects = ", ".join(_label(SideEffect, code) for code in report.effects)
        pdf.para(f"{formats.long_date(report.day)}: {effects}", gap=0.8)
    pdf.ln(3)

    if summary.note:
        pdf.para(_("Practitioner's note"), style="B", size=12)
        pdf.para(summary.note)
    return bytes(pdf.output())


def _score(pdf: Pdf, line: ScoreLine) -> None:
    instrument = BUILT_IN.get(line.instrument)
    name = str(instrument.name) if instrument else line.instrument.upper()
    pdf.para(name, style="B")
    pdf.para(
        _("Baseline %(baseline)s (%(baseline_on)s); final %(final)s (%(final_on)s)")
        % {
            "baseline": _number(line.baseline),
            "baseline_on": formats.long_date(line.baseline_on),
            "final": _number(line.final),
            "final_on": formats.long_date(line.final_on),
        }
    )
    # The stored change is the improvement (care.scoring applied the direction): below 0 is worse.
    points = abs(line.change)
    values = {
        "points": _number(points),
        "percent": formats.percent(abs(line.change_percent) / 100) if line.change_percent is not None else "",
    }
    plural = 1 if points == 1 else 2
    if line.change < 0:
        change = ngettext("Worse by %(points)s point", "Worse by %(points)s points", plural) % values
    else:
        change = ngettext("Improvement: %(points)s point", "Improvement: %(points)s points", plural) % values
    if line.change_percent is not None:
        change += f" ({values['percent']})"
    pdf.para(change)
    threshold = _threshold_label(line)
    if line.meaningful:
        verdict = _("A meaningful change (threshold: %(threshold)s; source: %(source)s).")
    else:
        verdict = _("Not a meaningful change (threshold: %(threshold)s; source: %(source)s).")
    pdf.para(verdict % {"threshold": threshold, "source": line.threshold_source or "—"}, gap=3)


def _threshold_label(line: ScoreLine) -> str:
    instrument = BUILT_IN.get(line.instrument)
    for threshold in instrument.meaningful_change if instrument else ():
        if threshold.code == line.threshold:
            return str(threshold.label)
    return line.threshold or "—"


def _exercise(pdf: Pdf, line: ExerciseLine) -> None:
    exercise = line.exercise
    name = in_language(exercise.translations, "name", exercise.name)
    dose = _("sets: %(sets)s, repetitions: %(repetitions)s, times a day: %(times)s") % {
        "sets": line.sets,
        "repetitions": line.repetitions,
        "times": line.times_a_day,
    }
    if line.hold_seconds:
        dose += ", " + _("hold: %(seconds)s seconds") % {"seconds": line.hold_seconds}
    pdf.para(f"{name}: {dose}", gap=0.8)
    if line.note:
        pdf.para(pgettext("exercise note", "Note: %(note)s") % {"note": line.note}, gap=0.8)


def _number(value: Decimal) -> str:
    return formats.number(value.normalize() if value == value.to_integral() else value)


def _label(choices: type, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code
