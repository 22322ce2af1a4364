"""Reading a plan's home exercise programme: the clinic's library as its staff see it, today's
exercises as the patient sees them, who may see a picture, and adherence per week.

"Today" is always the clinic's local date (ZoneInfo(clinic.time_zone)): a tick at 23:30 in
London counts for that London day whatever UTC says, across DST changes too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from accounts.models import Patient, User
from booking.models import Clinic
from booking.models.wording import in_language
from care import adherence
from care.models import CarePlan, Exercise, ExerciseLog, ExerciseReminder, PlanExercise
from care.models.exercises import Dose


def clinic_today(clinic: Clinic, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(clinic.time_zone)).date()


def plan_adherence(plan: CarePlan, today: date) -> list[adherence.Week]:
    """The plan's adherence per week up to `today` (the clinic's local date), in two queries."""
    prescriptions = [
        adherence.Prescribed(id=row.pk, start_on=row.start_on, stopped_on=row.stopped_on)
        for row in PlanExercise.objects.filter(plan=plan).only("pk", "start_on", "stopped_on")
    ]
    done = ExerciseLog.objects.filter(prescription__plan=plan, day__lte=today).values_list("prescription_id", "day")
    return adherence.weekly(prescriptions, done, today)


# The library ------------------------------------------------------------------------------


def staff_clinics(user: User) -> QuerySet[Clinic]:
    """The clinics whose library a staff member keeps: where they work or which they run (the
    rule of workspace.selectors.visibility.staff_clinics, which care may not import)."""
    if not user.is_clinic_staff:
        return Clinic.objects.none()
    ids = Clinic.objects.filter(Q(admins=user) | Q(practitioners__user=user)).values("pk")
    return Clinic.objects.filter(pk__in=ids).order_by("name", "pk")


def library(user: User) -> QuerySet[Exercise]:
    return Exercise.objects.filter(clinic__in=staff_clinics(user).values("pk")).select_related("clinic")


def staff_exercise(user: User, pk: int, *, retired: bool = True) -> Exercise:
    """One exercise of the staff member's clinics; any other is a 404 (and a retired one too,
    unless `retired`)."""
    found = library(user)
    return get_object_or_404(found if retired else found.filter(active=True), pk=pk)


def prescriptions(plan: CarePlan) -> QuerySet[PlanExercise]:
    return PlanExercise.objects.filter(plan=plan).select_related("exercise").order_by("position", "pk")


def prescription_of(plan: CarePlan, pk: int) -> PlanExercise:
    return get_object_or_404(prescriptions(plan), pk=pk)


def reminder_of(plan: CarePlan) -> ExerciseReminder | None:
    return ExerciseReminder.objects.filter(plan=plan).first()


def reminder_by_token(token: str) -> ExerciseReminder | None:
    return ExerciseReminder.objects.select_related("plan__clinic").filter(stop_token=token).first()


# Who may see a picture -------------------------------------------------------------------


def picture_for_staff(user: User, exercise_id: int) -> Exercise | None:
    return library(user).filter(pk=exercise_id).exclude(picture=None).first()


def picture_for_patient(patient: Patient, exercise_id: int) -> Exercise | None:
    """Only an exercise one of the patient's plans prescribes (stopped or not: it was theirs)."""
    used = PlanExercise.objects.filter(plan__patient=patient, exercise_id=exercise_id)
    return Exercise.objects.filter(Exists(used), pk=exercise_id).exclude(picture=None).first()


# Today's programme -----------------------------------------------------------------------


def times_a_day_words(n: int) -> str:
    if n == 1:
        return pgettext("exercise dose", "once a day")
    if n == 2:
        return pgettext("exercise dose", "twice a day")
    return ngettext("%(n)s time a day", "%(n)s times a day", n) % {"n": n}


def dose_words(dose: Dose) -> str:
    """ "3 sets of 10, hold 5 seconds, twice a day", each part through ngettext."""
    parts = [
        ngettext("%(sets)s set of %(reps)s", "%(sets)s sets of %(reps)s", dose.sets)
        % {"sets": dose.sets, "reps": dose.repetitions}
    ]
    if dose.hold_seconds:
        parts.append(ngettext("hold %(n)s second", "hold %(n)s seconds", dose.hold_seconds) % {"n": dose.hold_seconds})
    parts.append(times_a_day_words(dose.times_a_day))
    return _(", ").join(parts)


@dataclass(frozen=True)
class TodayItem:
    prescription: PlanExercise
    name: str
    instructions: str
    dose: str
    done: bool

    @property
    def exercise(self) -> Exercise:
        return self.prescription.exercise

    @property
    def has_picture(self) -> bool:
        return bool(self.prescription.exercise.picture_type)


def active_on(day: date) -> Q:
    return Q(start_on__lte=day) & (Q(stopped_on__isnull=True) | Q(stopped_on__gte=day))


def today_programme(plan: CarePlan, *, now: datetime | None = None, language: str | None = None) -> list[TodayItem]:
    """The exercises prescribed for today, in the patient's language where the clinic gave it,
    with whether each is ticked: two queries."""
    today = clinic_today(plan.clinic, now)
    rows = list(
        prescriptions(plan)
        .filter(active_on(today))
        .defer("exercise__picture")  # the bytes are served on their own, never with the list
    )
    done = set(ExerciseLog.objects.filter(prescription__in=rows, day=today).values_list("prescription_id", flat=True))
    return [
        TodayItem(
            prescription=row,
            name=in_language(row.exercise.translations, "name", row.exercise.name, language),
            instructions=in_language(row.exercise.translations, "instructions", row.exercise.instructions, language),
            dose=dose_words(row),
            done=row.pk in done,
        )
        for row in rows
    ]
