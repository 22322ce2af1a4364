"""The home exercise programme's writes: a clinic's library, a plan's prescriptions, the
patient's ticks and their daily reminder (which the notifications outbox sends; here only its
settings and the one-tap stop).

Refusals of the input are InvalidInput naming the field (a 400); a refusal of the state (a tick
on a stopped exercise, a dose change after it stopped) is an ExerciseRefused (a 409)."""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from booking.errors import BookingError
from booking.models import Clinic
from booking.models.wording import check_translations
from care.errors import InvalidInput
from care.models import CarePlan, Exercise, ExerciseLog, ExerciseReminder, PlanExercise, PlanStatus
from care.models.exercises import HOLD_SECONDS, PICTURE_BYTES, REPETITIONS, SETS, TIMES_A_DAY
from care.selectors.exercises import clinic_today

PICTURE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# A small file can still unpack into a huge bitmap (a "decompression bomb"); 5000 x 5000 is
# far more than a phone screen shows.
MAX_PIXELS = 25_000_000
TRANSLATED = ("name", "instructions")
OPEN_PLAN = (PlanStatus.PROPOSED, PlanStatus.ACTIVE, PlanStatus.ON_HOLD)


class ExerciseRefused(BookingError):
    code = "exercise_refused"
    status = 409


class NotPrescribedThatDay(ExerciseRefused):
    code = "not_prescribed_that_day"


class PlanClosed(ExerciseRefused):
    code = "plan_closed"


class PrescriptionStopped(ExerciseRefused):
    code = "prescription_stopped"


@dataclass(frozen=True)
class DoseInput:
    sets: int
    repetitions: int
    hold_seconds: int
    times_a_day: int

    @classmethod
    def of(cls, dose: Exercise | PlanExercise) -> DoseInput:
        return cls(dose.sets, dose.repetitions, dose.hold_seconds, dose.times_a_day)


def _dose_errors(dose: DoseInput) -> dict[str, list[str]]:
    fields = {}
    for name, bounds in (
        ("sets", SETS),
        ("repetitions", REPETITIONS),
        ("hold_seconds", HOLD_SECONDS),
        ("times_a_day", TIMES_A_DAY),
    ):
        value = getattr(dose, name)
        if not bounds[0] <= value <= bounds[1]:
            fields[name] = [_("Choose a number from %(low)s to %(high)s.") % {"low": bounds[0], "high": bounds[1]}]
    return fields


# The library ------------------------------------------------------------------------------


def checked_picture(raw: bytes) -> tuple[bytes, str]:
    """The picture re-encoded by Pillow (which also drops its metadata, such as where a phone
    took it) and its media type; an InvalidInput on `picture` for anything else."""
    if len(raw) > PICTURE_BYTES:
        raise InvalidInput({"picture": [_("The picture is too large: at most 1 MB, please.")]})
    not_a_picture = InvalidInput({"picture": [_("Upload a picture in PNG, JPEG or WebP format.")]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(raw)) as probe:
                kind = probe.format or ""
                probe.verify()  # the whole file, before decoding it for real
            with Image.open(BytesIO(raw)) as image:
                if kind not in PICTURE_TYPES or image.width * image.height > MAX_PIXELS:
                    raise not_a_picture
                image.load()
                out = BytesIO()
                if kind == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                elif kind == "WEBP":
                    image.save(out, "WEBP", quality=85)
                else:
                    image.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise not_a_picture from None
    if out.tell() > PICTURE_BYTES:
        raise InvalidInput({"picture": [_("The picture is too large: at most 1 MB, please.")]})
    return out.getvalue(), PICTURE_TYPES[kind]


@dataclass(frozen=True)
class ExerciseInput:
    name: str
    instructions: str
    dose: DoseInput
    picture_alt: str = ""
    translations: Any = None


def exercise_errors(clinic: Clinic, data: ExerciseInput, *, has_picture: bool, pk: int | None) -> dict[str, list[str]]:
    """What is wrong with `data` for the clinic's library, by field (forms show it before saving)."""
    fields = _dose_errors(data.dose)
    name = data.name.strip()
    if not name:
        fields["name"] = [_("Give the exercise a name.")]
    elif Exercise.objects.filter(clinic=clinic, name=name).exclude(pk=pk or 0).exists():
        fields["name"] = [_("The clinic's library already has an exercise with this name.")]
    if not data.instructions.strip():
        fields["instructions"] = [_("Describe the exercise in plain words.")]
    if has_picture and not data.picture_alt.strip():
        fields["picture_alt"] = [_("Describe the picture for people who cannot see it.")]
    try:
        check_translations(data.translations or {}, TRANSLATED)
    except ValidationError as exc:
        fields["translations"] = list(exc.messages)
    return fields


def _save(exercise: Exercise, fields: dict[str, list[str]]) -> Exercise:
    if fields:
        raise InvalidInput(fields)
    try:
        with transaction.atomic():
            exercise.save()
    except IntegrityError:
        # Another save of the same name won the race since the check above.
        raise InvalidInput({"name": [_("The clinic's library already has an exercise with this name.")]}) from None
    return exercise


@transaction.atomic
def create_exercise(*, clinic: Clinic, data: ExerciseInput, picture: bytes | None, actor: User) -> Exercise:
    """A new exercise in the clinic's library. `picture` is the uploaded file, checked here."""
    checked = checked_picture(picture) if picture is not None else None
    exercise = Exercise(
        clinic=clinic,
        name=data.name.strip(),
        instructions=data.instructions.strip(),
        picture=checked[0] if checked else None,
        picture_type=checked[1] if checked else "",
        picture_alt=data.picture_alt.strip() if checked else "",
        translations=data.translations or {},
        **vars(data.dose),
    )
    return _save(exercise, exercise_errors(clinic, data, has_picture=checked is not None, pk=None))


KEEP = object()  # update_exercise's "leave the picture as it is"


@transaction.atomic
def update_exercise(
    exercise: Exercise,
    *,
    data: ExerciseInput,
    actor: User,
    picture: bytes | object | None = KEEP,
    active: bool | None = None,
) -> Exercise:
    """Change an exercise. `picture`: new bytes, None to remove it, KEEP to leave it. A new
    dose applies to new prescriptions; existing ones keep the dose they were given. `active`
    False retires it, True offers it again."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if active is not None:
        exercise.active = active
    if isinstance(picture, bytes):
        exercise.picture, exercise.picture_type = checked_picture(picture)
    elif picture is None:
        exercise.picture, exercise.picture_type = None, ""
    has_picture = bool(exercise.picture_type)
    exercise.name = data.name.strip()
    exercise.instructions = data.instructions.strip()
    exercise.picture_alt = data.picture_alt.strip() if has_picture else ""
    exercise.translations = data.translations or {}
    for name, value in vars(data.dose).items():
        setattr(exercise, name, value)
    return _save(exercise, exercise_errors(exercise.clinic, data, has_picture=has_picture, pk=exercise.pk))


@transaction.atomic
def retire_exercise(exercise: Exercise, *, actor: User) -> Exercise:
    """Out of the library for new prescriptions; plans that use it keep it."""
    Exercise.objects.filter(pk=exercise.pk).update(active=False)
    exercise.refresh_from_db()
    return exercise


# Prescriptions -------------------------------------------------------------------------------


def _open_plan(plan: CarePlan) -> CarePlan:
    locked = CarePlan.objects.select_for_update(of=("self",)).select_related("clinic").get(pk=plan.pk)
    if locked.status not in OPEN_PLAN:
        raise PlanClosed(_("This plan of care is closed."))
    return locked


@transaction.atomic
def prescribe(
    plan: CarePlan,
    *,
    exercise: Exercise,
    actor: User,
    dose: DoseInput | None = None,
    note: str = "",
    start_on: date | None = None,
    now: datetime | None = None,
) -> PlanExercise:
    """Add a library exercise to the plan, with the library's dose unless another is given,
    from today (the clinic's date) unless another start is given."""
    plan = _open_plan(plan)
    dose = dose or DoseInput.of(exercise)
    fields = _dose_errors(dose)
    if exercise.clinic_id != plan.clinic_id or not exercise.active:
        fields["exercise"] = [_("Choose an exercise from the clinic's library.")]
    today = clinic_today(plan.clinic, now)
    start_on = start_on or today
    if start_on < today:
        fields["start_on"] = [_("The start cannot be in the past.")]
    if fields:
        raise InvalidInput(fields)
    last = PlanExercise.objects.filter(plan=plan).order_by("-position").values_list("position", flat=True).first()
    return PlanExercise.objects.create(
        plan=plan,
        exercise=exercise,
        note=note.strip(),
        position=(last + 1) if last is not None else 0,
        start_on=start_on,
        **vars(dose),
    )


def _locked(prescription: PlanExercise) -> PlanExercise:
    return PlanExercise.objects.select_for_update().select_related("plan__clinic").get(pk=prescription.pk)


@transaction.atomic
def change_dose(
    prescription: PlanExercise, *, dose: DoseInput, actor: User, note: str | None = None, now: datetime | None = None
) -> PlanExercise:
    _open_plan(prescription.plan)  # the plan first, as prescribe locks it: one order, no deadlock
    prescription = _locked(prescription)
    if prescription.stopped_on is not None and prescription.stopped_on < clinic_today(prescription.plan.clinic, now):
        raise PrescriptionStopped(_("This exercise was stopped; prescribe it again instead."))
    if fields := _dose_errors(dose):
        raise InvalidInput(fields)
    for name, value in vars(dose).items():
        setattr(prescription, name, value)
    if note is not None:
        prescription.note = note.strip()
    prescription.save()
    return prescription


@transaction.atomic
def stop_prescription(prescription: PlanExercise, *, actor: User, now: datetime | None = None) -> PlanExercise | None:
    """Stop after today: today stays prescribed (the patient may still tick it), no day after.
    Stopping again changes nothing. One that has not started yet is removed (None): it was
    never prescribed on any day, and no tick can point at it. A closed plan's programme stays as
    it was when the plan closed (the discharge summary lists it)."""
    _open_plan(prescription.plan)
    prescription = _locked(prescription)
    today = clinic_today(prescription.plan.clinic, now)
    if prescription.start_on > today:
        prescription.delete()
        return None
    if prescription.stopped_on is None or prescription.stopped_on > today:
        prescription.stopped_on = today
        prescription.save(update_fields=["stopped_on"])
    return prescription


# Ticks ----------------------------------------------------------------------------------------


def _tickable(prescription: PlanExercise, day: date | None, now: datetime | None) -> tuple[PlanExercise, date]:
    prescription = PlanExercise.objects.select_related("plan__clinic").get(pk=prescription.pk)
    today = clinic_today(prescription.plan.clinic, now)
    day = day or today
    if prescription.plan.status not in OPEN_PLAN:
        raise PlanClosed(_("This plan of care is closed."))
    stopped = prescription.stopped_on is not None and prescription.stopped_on < day
    if day > today or day < prescription.start_on or stopped:
        raise NotPrescribedThatDay(_("This exercise is not on your programme for that day."))
    return prescription, day


def tick(
    prescription: PlanExercise, *, actor: User, day: date | None = None, now: datetime | None = None
) -> ExerciseLog:
    """Mark the exercise done on `day` (today in the clinic's zone unless given). A second tap
    finds the first tick: ON CONFLICT DO NOTHING, so two taps racing also count once."""
    prescription, day = _tickable(prescription, day, now)
    with transaction.atomic():
        ExerciseLog.objects.bulk_create(
            [ExerciseLog(prescription=prescription, day=day, done_at=now or timezone.now())], ignore_conflicts=True
        )
        return ExerciseLog.objects.get(prescription=prescription, day=day)


def untick(prescription: PlanExercise, *, actor: User, day: date | None = None, now: datetime | None = None) -> None:
    """Take the tick back (a mistaken tap); nothing to take back is no change."""
    prescription, day = _tickable(prescription, day, now)
    ExerciseLog.objects.filter(prescription=prescription, day=day).delete()


# The daily reminder --------------------------------------------------------------------------


def _token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def set_reminder(plan: CarePlan, *, at: time, active: bool, actor: User) -> ExerciseReminder:
    """The patient's reminder at `at` (wall-clock time in the clinic's zone), on or off. Turning
    it on gives it a fresh stop token, so a stop link from before it was off stops nothing new."""
    if active:
        plan = _open_plan(plan)
    if at.tzinfo is not None:
        raise InvalidInput({"at": [_("Give a time of day without a time zone.")]})
    at = at.replace(second=0, microsecond=0)
    reminder = ExerciseReminder.objects.select_for_update().filter(plan=plan).first()
    if reminder is None:
        return ExerciseReminder.objects.create(plan=plan, at=at, active=active, stop_token=_token())
    if active and not reminder.active:
        reminder.stop_token = _token()
    reminder.at, reminder.active = at, active
    reminder.save()
    return reminder


@transaction.atomic
def stop_reminder_by_token(token: str) -> ExerciseReminder | None:
    """The one-tap stop from a reminder: the token is the proof. Stopping again changes nothing;
    an unknown token is None."""
    reminder = ExerciseReminder.objects.select_for_update().filter(stop_token=token).first()
    if reminder is not None and reminder.active:
        reminder.active = False
        reminder.save(update_fields=["active", "updated_at"])
    return reminder
