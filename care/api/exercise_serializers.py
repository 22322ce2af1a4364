"""Input and output shapes of the home exercise programme's API.

A picture travels as base64 text in the JSON body (optionally as a `data:` URL), so every
operation stays JSON and the fuzzer and schema treat it like any other field; it is served
back by the page /care/exercises/{id}/picture/ to the clinic's staff and to patients whose
plan uses it (`picture_url`)."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import empty

from care import adherence
from care.models import Exercise, ExerciseReminder, PlanExercise
from care.models.exercises import HOLD_SECONDS, PICTURE_BYTES, REPETITIONS, SETS, TIMES_A_DAY
from care.selectors.exercises import TodayItem, dose_words
from care.services.exercises import DoseInput
from core.rest import StrictBooleanField, StrictCharField, StrictIntegerField, WallClockField, field_errors

# base64 grows a file by a third. The text may be longer than 1 MB of picture, so that the
# service answers "at most 1 MB" rather than a count of characters; the body limit caps it.
PICTURE_TEXT = PICTURE_BYTES * 2


def picture_bytes(text: str | None) -> bytes | None:
    """The uploaded picture's bytes from base64 text; a 400 on `picture` if it is not base64."""
    if text is None:
        return None
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise field_errors({"picture": [_("Send the picture as base64 text.")]}) from None


def _count(bounds: tuple[int, int], help_text: str, **kwargs: Any) -> StrictIntegerField:
    return StrictIntegerField(min_value=bounds[0], max_value=bounds[1], help_text=help_text, **kwargs)


class DoseFields(serializers.Serializer[Any]):
    sets = _count(SETS, "Sets.", required=False)
    repetitions = _count(REPETITIONS, "Repetitions in each set.", required=False)
    hold_seconds = _count(HOLD_SECONDS, "Seconds to hold each repetition; 0 for none.", required=False)
    times_a_day = _count(TIMES_A_DAY, "How many times a day.", required=False)


def dose_from(data: dict[str, Any], base: Exercise | PlanExercise | None) -> DoseInput | None:
    """The dose the body gives, the missing parts from `base`; None if it gives none and there is no base."""
    names = ("sets", "repetitions", "hold_seconds", "times_a_day")
    if base is None and not any(name in data for name in names):
        return None
    fallback = DoseInput.of(base) if base is not None else DoseInput(1, 10, 0, 1)
    return DoseInput(*(data.get(name, getattr(fallback, name)) for name in names))


class Translations(serializers.DictField):
    def __init__(self, **kwargs: Any) -> None:
        child = serializers.DictField(child=StrictCharField(max_length=4000, allow_blank=True))
        super().__init__(
            child=child,
            help_text='The clinic\'s own words in other languages: {"es": {"name": "…", "instructions": "…"}}.',
            **kwargs,
        )


class ExerciseIn(DoseFields):
    clinic = StrictIntegerField(help_text="A clinic you work at or run; its library gets the exercise.")
    name = StrictCharField(max_length=120)
    instructions = StrictCharField(max_length=4000, help_text="In plain words, step by step.")
    picture = StrictCharField(
        max_length=PICTURE_TEXT,
        required=False,
        allow_null=True,
        help_text="PNG, JPEG or WebP, at most 1 MB, as base64 text (a `data:` URL is accepted).",
    )
    picture_alt = StrictCharField(
        max_length=300, allow_blank=True, default="", help_text="Required with a picture: read by screen readers."
    )
    translations = Translations(required=False)


class ExerciseChange(DoseFields):
    name = StrictCharField(max_length=120, required=False)
    instructions = StrictCharField(max_length=4000, required=False)
    picture = StrictCharField(
        max_length=PICTURE_TEXT,
        required=False,
        allow_null=True,
        help_text="A new picture as base64 text; null removes the picture; leave it out to keep it.",
    )
    picture_alt = StrictCharField(max_length=300, allow_blank=True, required=False)
    translations = Translations(required=False)


# DRF reads query strings as an HTML form, where an empty optional field counts as not sent;
# here `?clinic=` is checked (and refused) like any other value, as in plan_serializers.
class _QueryInteger(serializers.IntegerField):
    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class _QueryChoice(serializers.ChoiceField):
    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class LibraryQuery(serializers.Serializer[Any]):
    clinic = _QueryInteger(required=False, help_text="Only this clinic's library.")
    retired = _QueryChoice(
        choices=["true", "false"], required=False, help_text="`true` lists retired exercises too (`active` false)."
    )


class DoseOut(serializers.Serializer[Any]):
    sets = serializers.IntegerField()
    repetitions = serializers.IntegerField()
    hold_seconds = serializers.IntegerField()
    times_a_day = serializers.IntegerField()
    words = serializers.CharField(help_text='The dose in words, e.g. "3 sets of 10, hold 5 seconds, twice a day".')


class PictureOut(serializers.Serializer[Any]):
    url = serializers.CharField(help_text="Served to the clinic's staff and to patients whose plan uses it.")
    alt = serializers.CharField()
    type = serializers.CharField()


class ExerciseOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    clinic = serializers.IntegerField()
    name = serializers.CharField()
    instructions = serializers.CharField()
    dose = DoseOut()
    picture = PictureOut(allow_null=True)
    translations = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    active = serializers.BooleanField(help_text="False once retired: kept for plans that use it, not offered.")


class PrescribeIn(DoseFields):
    exercise = StrictIntegerField(help_text="An active exercise of the plan's clinic's library.")
    note = StrictCharField(max_length=500, allow_blank=True, default="")
    start_on = serializers.DateField(required=False, help_text="Today in the clinic's zone unless given.")


class PrescriptionChange(DoseFields):
    note = StrictCharField(max_length=500, allow_blank=True, required=False)


class PrescriptionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    exercise = serializers.IntegerField()
    name = serializers.CharField()
    dose = DoseOut()
    note = serializers.CharField(allow_blank=True)
    start_on = serializers.DateField()
    stopped_on = serializers.DateField(allow_null=True, help_text="The last day it is prescribed.")


class WeekOut(serializers.Serializer[Any]):
    starts_on = serializers.DateField(help_text="A Monday, in the clinic's calendar.")
    prescribed = serializers.IntegerField(help_text="Exercise-days prescribed that week, up to today.")
    done = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="done / prescribed, 0 to 1.")


class AdherenceOut(serializers.Serializer[Any]):
    today = serializers.DateField(help_text="The clinic's date the weeks run up to.")
    overall = serializers.FloatField(allow_null=True)
    weeks = WeekOut(many=True)


class TodayExerciseOut(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The prescription's id, for ticking it.")
    name = serializers.CharField(help_text="In the patient's language where the clinic gave it.")
    instructions = serializers.CharField()
    dose = DoseOut()
    note = serializers.CharField(allow_blank=True)
    done = serializers.BooleanField(help_text="Ticked today.")
    picture = PictureOut(allow_null=True)


class TodayOut(serializers.Serializer[Any]):
    day = serializers.DateField(help_text="Today in the clinic's zone.")
    exercises = TodayExerciseOut(many=True)


class DoneOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    day = serializers.DateField()
    done = serializers.BooleanField()


class ReminderIn(serializers.Serializer[Any]):
    at = WallClockField(required=False, help_text="Time of day in the clinic's zone, e.g. 18:30; kept if left out.")
    active = StrictBooleanField(help_text="True to get the daily reminder, false to stop it.")


class ReminderOut(serializers.Serializer[Any]):
    at = WallClockField(allow_null=True)
    active = serializers.BooleanField()
    time_zone = serializers.CharField(help_text="The clinic's zone the time is in.")


def _dose(dose: Exercise | PlanExercise) -> dict[str, Any]:
    return {**vars(DoseInput.of(dose)), "words": dose_words(dose)}


def _picture(exercise: Exercise) -> dict[str, str] | None:
    if not exercise.picture_type:
        return None
    url = reverse("care:exercise-picture", args=[exercise.pk])
    return {"url": url, "alt": exercise.picture_alt, "type": exercise.picture_type}


def exercise_out(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.pk,
        "clinic": exercise.clinic_id,
        "name": exercise.name,
        "instructions": exercise.instructions,
        "dose": _dose(exercise),
        "picture": _picture(exercise),
        "translations": exercise.translations,
        "active": exercise.active,
    }


def prescription_out(row: PlanExercise) -> dict[str, Any]:
    return {
        "id": row.pk,
        "exercise": row.exercise_id,
        "name": row.exercise.name,
        "dose": _dose(row),
        "note": row.note,
        "start_on": row.start_on,
        "stopped_on": row.stopped_on,
    }


def adherence_out(weeks: list[adherence.Week], today: date) -> dict[str, Any]:
    return {
        "today": today,
        "overall": adherence.overall(weeks),
        "weeks": [
            {"starts_on": w.starts_on, "prescribed": w.prescribed, "done": w.done, "share": w.share} for w in weeks
        ],
    }


def today_out(day: date, items: list[TodayItem]) -> dict[str, Any]:
    return {
        "day": day,
        "exercises": [
            {
                "id": item.prescription.pk,
                "name": item.name,
                "instructions": item.instructions,
                "dose": {**vars(DoseInput.of(item.prescription)), "words": item.dose},
                "note": item.prescription.note,
                "done": item.done,
                "picture": _picture(item.exercise),
            }
            for item in items
        ],
    }


def reminder_out(reminder: ExerciseReminder | None, zone: str) -> dict[str, Any]:
    if reminder is None:
        return {"at": None, "active": False, "time_zone": zone}
    return {"at": reminder.at.strftime("%H:%M"), "active": reminder.active, "time_zone": zone}
