"""The clinical record's tables, one module per part of a course of care.

plans: the plan and its status history. visits: which appointments belong to a course and the
"has anything changed" answer before each later one. outcomes: a clinic's own instruments and
every score a patient gives. exercises: the clinic's library, a plan's home programme, the ticks
and the daily reminder. discharge: how a plan closed and its summary."""

from care.models.discharge import Discharge, DischargeReason
from care.models.exercises import Exercise, ExerciseLog, ExerciseReminder, PlanExercise
from care.models.outcomes import ClinicInstrument, OutcomeScore, Timepoint
from care.models.plans import SESSIONS, SPACING_DAYS, BodyRegion, CarePlan, CarePlanStatusChange, PlanStatus
from care.models.visits import CourseVisit, HealthChangeAnswer

__all__ = [
    "SESSIONS",
    "SPACING_DAYS",
    "BodyRegion",
    "CarePlan",
    "CarePlanStatusChange",
    "ClinicInstrument",
    "CourseVisit",
    "Discharge",
    "DischargeReason",
    "Exercise",
    "ExerciseLog",
    "ExerciseReminder",
    "HealthChangeAnswer",
    "OutcomeScore",
    "PlanExercise",
    "PlanStatus",
    "Timepoint",
]
