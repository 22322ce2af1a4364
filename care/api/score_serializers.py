"""Input and output shapes of the outcome-measure API: instruments with their items and
anchors in the caller's language (a clinic's own words as the clinic wrote them), what is due,
and scores with their baseline, change and meaningful-change flag and its source."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from care.instruments import Instrument
from care.models import CarePlan, OutcomeScore, Timepoint
from care.selectors.scores import Due
from care.services.scores import item_keys
from core.rest import StrictBooleanField, StrictCharField, StrictIntegerField


class ScoreIn(serializers.Serializer[Any]):
    instrument = StrictCharField(max_length=40, help_text="The measure's code, one the plan tracks: `nprs`, `psfs`…")
    timepoint = serializers.ChoiceField(choices=Timepoint.choices)
    answers = serializers.DictField(
        child=StrictIntegerField(),
        help_text=(
            "Each item's id to its answer, a whole number in the item's range. For PSFS the items are the plan's "
            "goals, in their exact words (GET …/measures lists them)."
        ),
    )
    appointment = StrictIntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A visit of this plan's course that has taken place; required for a `visit` score.",
    )


class InstrumentIn(serializers.Serializer[Any]):
    clinic = StrictIntegerField(help_text="A clinic you work at or run.")
    definition = serializers.JSONField(help_text="The instrument in Acus's format; see docs/instruments.md.")
    licence_confirmed = StrictBooleanField(
        help_text="True: you confirm the clinic holds a licence to use this instrument and any wording in it."
    )


class AnchorOut(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    words = serializers.CharField()


class ItemOut(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="The key for `answers`; for PSFS, the activity in the patient's words.")
    text = serializers.CharField(allow_blank=True)
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    anchors = AnchorOut(many=True)


class ThresholdOut(serializers.Serializer[Any]):
    # `label` and `source` are also Field attributes in DRF's stubs; here they are the keys sent.
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    points = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True, help_text="Of the baseline.")
    source = serializers.CharField()  # type: ignore[assignment]


class InstrumentOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    built_in = serializers.BooleanField()
    scoring = serializers.CharField()
    min = serializers.FloatField()
    max = serializers.FloatField()
    higher_is_better = serializers.BooleanField()
    items = ItemOut(many=True)
    meaningful_change = ThresholdOut(many=True, help_text="The first is the default.")
    licence = serializers.CharField()


class ClinicInstrumentOut(InstrumentOut):
    clinic = serializers.IntegerField()


class DueOut(serializers.Serializer[Any]):
    instrument = serializers.CharField()
    timepoint = serializers.ChoiceField(choices=Timepoint.choices)
    appointment = serializers.IntegerField(allow_null=True)


class MeasuresOut(serializers.Serializer[Any]):
    due = DueOut(many=True)
    instruments = InstrumentOut(many=True, help_text="The plan's measures; PSFS's items are the plan's goals.")


class ScoreOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    instrument = serializers.CharField()
    timepoint = serializers.ChoiceField(choices=Timepoint.choices)
    appointment = serializers.IntegerField(allow_null=True)
    answers = serializers.DictField(child=serializers.IntegerField(), help_text="The raw answers.")
    score = serializers.FloatField()
    baseline = serializers.FloatField()
    change = serializers.FloatField(help_text="From the baseline, in points; positive is better.")
    change_percent = serializers.FloatField(allow_null=True, help_text="Of the baseline; null when it was 0.")
    meaningful = serializers.BooleanField()
    threshold = serializers.CharField()
    threshold_source = serializers.CharField()
    answered_at = serializers.DateTimeField()


def _anchor(value: int, words: Any) -> dict[str, Any]:
    return {"value": value, "words": str(words)}


def instrument_out(instrument: Instrument, *, built_in: bool, plan: CarePlan | None = None) -> dict[str, Any]:
    """The instrument, with a patient-named item repeated once per goal when a plan is given."""
    items = [
        {
            "id": item.id,
            "text": str(item.text),
            "low": item.low,
            "high": item.high,
            "anchors": [_anchor(a.value, a.words) for a in item.anchors],
        }
        for item in instrument.items
    ]
    if plan is not None and instrument.patient_named is not None:
        template = items[0]
        items = [{**template, "id": key, "text": key} for key in item_keys(plan, instrument)]
    return {
        "code": instrument.code,
        "name": str(instrument.name),
        "built_in": built_in,
        "scoring": instrument.scoring.value,
        "min": instrument.range.min,
        "max": instrument.range.max,
        "higher_is_better": instrument.higher_is_better,
        "items": items,
        "meaningful_change": [
            {"code": t.code, "label": str(t.label), "points": t.points, "percent": t.percent, "source": t.source}
            for t in instrument.meaningful_change
        ],
        "licence": str(instrument.licence),
    }


def due_out(due: Due) -> dict[str, Any]:
    return {
        "instrument": due.instrument.code,
        "timepoint": due.timepoint.value,
        "appointment": due.appointment.pk if due.appointment else None,
    }


def score_out(row: OutcomeScore, plan: CarePlan) -> dict[str, Any]:
    return {
        "id": row.pk,
        "instrument": row.instrument,
        "timepoint": row.timepoint,
        "appointment": row.appointment_id,
        "answers": row.answers,
        "score": float(row.score),
        "baseline": float(row.baseline),
        "change": float(row.change),
        "change_percent": None if row.change_percent is None else float(row.change_percent),
        "meaningful": row.meaningful,
        "threshold": row.threshold,
        "threshold_source": row.threshold_source,
        "answered_at": row.answered_at.astimezone(plan.clinic.zone),
    }
