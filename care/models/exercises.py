"""The home exercise programme: a clinic's library, a plan's prescription, the patient's ticks
and their daily reminder.

Adherence is the share of prescribed exercise-days done: each PlanExercise is prescribed on every
day from start_on to stopped_on (or today), in the clinic's zone, and an ExerciseLog row marks one
of those days done. A tick is one row per exercise and day, so a double tap counts once."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Clinic
from care.models.plans import CarePlan

# Bounds a clinic can set a dose within: wide enough for any programme, narrow enough to catch a typo.
SETS = (1, 10)
REPETITIONS = (1, 100)
HOLD_SECONDS = (0, 600)
TIMES_A_DAY = (1, 6)
PICTURE_BYTES = 1_000_000


class Dose(models.Model):
    """How much of an exercise: the library's default, or a plan's own."""

    sets = models.PositiveSmallIntegerField(
        _("sets"), default=1, validators=[MinValueValidator(SETS[0]), MaxValueValidator(SETS[1])]
    )
    repetitions = models.PositiveSmallIntegerField(
        _("repetitions"), default=10, validators=[MinValueValidator(REPETITIONS[0]), MaxValueValidator(REPETITIONS[1])]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        _("hold (seconds)"),
        default=0,
        validators=[MinValueValidator(HOLD_SECONDS[0]), MaxValueValidator(HOLD_SECONDS[1])],
    )
    times_a_day = models.PositiveSmallIntegerField(
        _("times a day"), default=1, validators=[MinValueValidator(TIMES_A_DAY[0]), MaxValueValidator(TIMES_A_DAY[1])]
    )

    class Meta:
        abstract = True


def _dose_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(sets__gte=SETS[0], sets__lte=SETS[1])
            & Q(repetitions__gte=REPETITIONS[0], repetitions__lte=REPETITIONS[1])
            & Q(hold_seconds__gte=HOLD_SECONDS[0], hold_seconds__lte=HOLD_SECONDS[1])
            & Q(times_a_day__gte=TIMES_A_DAY[0], times_a_day__lte=TIMES_A_DAY[1]),
            name=f"{prefix}_dose_in_range",
        )
    ]


class Exercise(Dose):
    clinic = models.ForeignKey(Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="exercises")
    name = models.CharField(_("name"), max_length=120)
    instructions = models.TextField(_("instructions"), max_length=4000, help_text=_("In plain words, step by step."))
    # Kept in the database (at most PICTURE_BYTES, checked with Pillow on upload) so a picture
    # needs no media storage and is served only to people who may see the exercise.
    picture = models.BinaryField(_("picture"), null=True, blank=True, editable=True)
    picture_type = models.CharField(_("picture type"), max_length=40, blank=True, default="")
    picture_alt = models.CharField(
        _("picture description"), max_length=300, blank=True, default="", help_text=_("Read aloud by screen readers.")
    )
    # The clinic's words in other languages, as for treatments: {"es": {"name": ..., "instructions": ...}}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["clinic", "name", "pk"]
        constraints = [
            *_dose_constraints("exercise"),
            models.UniqueConstraint(fields=["clinic", "name"], name="exercise_name_once_per_clinic"),
        ]

    def __str__(self) -> str:
        return self.name


class PlanExercise(Dose):
    plan = models.ForeignKey(CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="exercises")
    exercise = models.ForeignKey(Exercise, verbose_name=_("exercise"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    start_on = models.DateField(_("from"))
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("prescribed exercise")
        verbose_name_plural = _("prescribed exercises")
        ordering = ["plan", "position", "pk"]
        constraints = [
            *_dose_constraints("plan_exercise"),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=models.F("start_on")),
                name="plan_exercise_stops_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id}: {self.exercise_id}"


class ExerciseLog(models.Model):
    prescription = models.ForeignKey(
        PlanExercise, verbose_name=_("prescribed exercise"), on_delete=models.PROTECT, related_name="log"
    )
    day = models.DateField(_("day"))
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("exercise done")
        verbose_name_plural = _("exercises done")
        ordering = ["day", "pk"]
        constraints = [models.UniqueConstraint(fields=["prescription", "day"], name="exercise_done_once_a_day")]

    def __str__(self) -> str:
        return f"{self.prescription_id} on {self.day}"


class ExerciseReminder(models.Model):
    """The patient's daily reminder for one plan's exercises, at a wall-clock time in the clinic's zone."""

    plan = models.OneToOneField(
        CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="exercise_reminder"
    )
    at = models.TimeField(_("time"))
    active = models.BooleanField(_("active"), default=True)
    # For the one-tap stop link in each reminder; a fresh one each time the reminder is turned on.
    stop_token = models.CharField(_("stop token"), max_length=64, unique=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("exercise reminder")
        verbose_name_plural = _("exercise reminders")

    def __str__(self) -> str:
        return f"plan {self.plan_id} at {self.at}"
