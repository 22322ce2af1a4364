"""Reading a plan's home exercise programme."""

from __future__ import annotations

from datetime import date

from care import adherence
from care.models import CarePlan, ExerciseLog, PlanExercise


def plan_adherence(plan: CarePlan, today: date) -> list[adherence.Week]:
    """The plan's adherence per week up to `today` (the clinic's local date), in two queries."""
    prescriptions = [
        adherence.Prescribed(id=row.pk, start_on=row.start_on, stopped_on=row.stopped_on)
        for row in PlanExercise.objects.filter(plan=plan).only("pk", "start_on", "stopped_on")
    ]
    done = ExerciseLog.objects.filter(prescription__plan=plan, day__lte=today).values_list("prescription_id", "day")
    return adherence.weekly(prescriptions, done, today)
