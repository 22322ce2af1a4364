"""Outcome-measure instruments: what a patient answers, and how the answers make a score.

Pure: no database, no request; Django only marks the words a person reads. An instrument is
frozen and checks itself when it is built, so a bad one cannot exist, whether it is built in
(builtin_instruments.py: NPRS and PSFS) or loaded by a clinic from plain data (`instrument_from_dict`, e.g.
the NDI's scoring rules without its copyrighted item wording). Every meaningful-change threshold
carries its source as shared/clinical/FACTS.md section 6 gives it: change depends on the
baseline and the population, so the source is shown beside the threshold."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django_stubs_ext import StrOrPromise

E = TypeVar("E", bound=StrEnum)
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class InstrumentError(ValueError):
    """An instrument definition that cannot be used; the message says what to fix."""


class ItemKind(StrEnum):
    NUMERIC_SCALE = "numeric_scale"  # a whole number from low to high, words at some points (NPRS 0-10)
    ORDINAL = "ordinal"  # one of ordered statements scored low to high (each NDI section, 0-5)


class Scoring(StrEnum):
    SINGLE_ITEM = "single_item"  # the one item's answer
    MEAN = "mean"  # the mean of the items' answers
    SUM = "sum"  # the sum of the items' answers
    SUM_AS_PERCENTAGE = "sum_as_percentage"  # the sum as a percentage of the range the items allow (0-100)


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


@dataclass(frozen=True)
class Anchor:
    """The words a scale shows at one of its points."""

    value: int
    words: StrOrPromise


@dataclass(frozen=True)
class Item:
    id: str
    kind: ItemKind
    low: int
    high: int
    anchors: tuple[Anchor, ...] = ()
    text: StrOrPromise = ""  # the question; empty where no licensed or sourced wording is loaded

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InstrumentError("every item needs an id")
        if self.low >= self.high:
            raise InstrumentError(f"item {self.id!r}: low ({self.low}) must be below high ({self.high})")
        values = [anchor.value for anchor in self.anchors]
        outside = [value for value in values if not self.low <= value <= self.high]
        if outside:
            raise InstrumentError(f"item {self.id!r}: anchors at {outside} are outside {self.low}-{self.high}")
        if len(set(values)) != len(values):
            raise InstrumentError(f"item {self.id!r}: two anchors at the same point")


@dataclass(frozen=True)
class ScoreRange:
    min: float
    max: float

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.min <= value <= self.max


@dataclass(frozen=True)
class Threshold:
    """A meaningful change: `points` on the scale and/or `percent` of the baseline, from `source`.

    A change is meaningful when the improvement reaches either one."""

    code: str
    label: StrOrPromise  # which change or population it is for: "Medium change", "Mechanical neck pain"
    source: str  # the citation as FACTS.md section 6 gives it
    points: float | None = None
    percent: float | None = None

    def __post_init__(self) -> None:
        if not CODE.match(self.code):
            raise InstrumentError(f"threshold code {self.code!r}: use 1-40 lower-case letters, digits, - or _")
        if not self.source.strip():
            raise InstrumentError(f"threshold {self.code!r} has no source: cite where its figure comes from")
        if self.points is None and self.percent is None:
            raise InstrumentError(f"threshold {self.code!r} needs points, a percentage or both")
        for name, figure in (("points", self.points), ("percent", self.percent)):
            if figure is not None and not (math.isfinite(figure) and figure > 0):
                raise InstrumentError(f"threshold {self.code!r}: {name} must be a positive number, not {figure}")


@dataclass(frozen=True)
class PatientNamedItems:
    """The patient names their own items (the PSFS activities), each answered like the one item given."""

    fewest: int
    most: int


@dataclass(frozen=True)
class Instrument:
    code: str
    name: StrOrPromise
    items: tuple[Item, ...]
    scoring: Scoring
    range: ScoreRange
    direction: Direction
    meaningful_change: tuple[Threshold, ...]  # the first is the default
    licence: StrOrPromise  # who may use it and on what terms, as far as we know
    patient_named: PatientNamedItems | None = None

    def __post_init__(self) -> None:
        _check(self)

    @property
    def higher_is_better(self) -> bool:
        return self.direction is Direction.HIGHER_IS_BETTER

    def threshold(self, code: str | None = None) -> Threshold:
        """The threshold with this code; without one, the instrument's default (its first)."""
        if code is None:
            return self.meaningful_change[0]
        for threshold in self.meaningful_change:
            if threshold.code == code:
                return threshold
        known = [threshold.code for threshold in self.meaningful_change]
        raise InstrumentError(f"{self.code} has no threshold {code!r}; it has {known}")


def expected_range(items: tuple[Item, ...], scoring: Scoring) -> ScoreRange:
    """The lowest and highest score the items allow under this scoring."""
    lows, highs = [item.low for item in items], [item.high for item in items]
    if scoring is Scoring.SUM_AS_PERCENTAGE:
        return ScoreRange(0, 100)
    if scoring is Scoring.SUM:
        return ScoreRange(sum(lows), sum(highs))
    if scoring is Scoring.MEAN:
        return ScoreRange(math.fsum(lows) / len(lows), math.fsum(highs) / len(highs))
    return ScoreRange(lows[0], highs[0])


def _check(instrument: Instrument) -> None:
    code = instrument.code
    if not CODE.match(code):
        raise InstrumentError(f"instrument code {code!r}: use 1-40 lower-case letters, digits, - or _")
    # Only plain text is checked: reading a lazy translation would need the app registry, and
    # the built-in instruments are made when their module is imported.
    if isinstance(instrument.name, str) and not instrument.name.strip():
        raise InstrumentError(f"{code}: needs a name")
    if isinstance(instrument.licence, str) and not instrument.licence.strip():
        raise InstrumentError(f"{code}: needs a licence note (who may use it, on what terms)")
    _check_items(instrument)
    _check_range(instrument)
    _check_thresholds(instrument)


def _check_items(instrument: Instrument) -> None:
    code, items, named = instrument.code, instrument.items, instrument.patient_named
    if not items:
        raise InstrumentError(f"{code}: needs at least one item")
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise InstrumentError(f"{code}: item ids must be unique, got {ids}")
    if instrument.scoring is Scoring.SINGLE_ITEM and (len(items) != 1 or named):
        raise InstrumentError(f"{code}: single_item scoring needs exactly one item")
    if named is not None:
        if len(items) != 1 or instrument.scoring is not Scoring.MEAN:
            raise InstrumentError(f"{code}: items the patient names need exactly one item and mean scoring")
        if not 1 <= named.fewest <= named.most:
            raise InstrumentError(f"{code}: the patient names fewest {named.fewest}, most {named.most} items")


def _check_range(instrument: Instrument) -> None:
    declared, fits = instrument.range, expected_range(instrument.items, instrument.scoring)
    if not (math.isclose(declared.min, fits.min) and math.isclose(declared.max, fits.max)):
        raise InstrumentError(
            f"{instrument.code}: range {declared.min:g}-{declared.max:g} does not fit "
            f"{instrument.scoring.value} of its items, which gives {fits.min:g}-{fits.max:g}"
        )


def _check_thresholds(instrument: Instrument) -> None:
    code, thresholds, span = instrument.code, instrument.meaningful_change, instrument.range.max - instrument.range.min
    if not thresholds:
        raise InstrumentError(f"{code}: needs at least one meaningful-change threshold, with its source")
    codes = [threshold.code for threshold in thresholds]
    if len(set(codes)) != len(codes):
        raise InstrumentError(f"{code}: threshold codes must be unique, got {codes}")
    for threshold in thresholds:
        if threshold.points is not None and threshold.points > span:
            raise InstrumentError(
                f"{code}: threshold {threshold.code!r} ({threshold.points:g} points) is beyond the range"
            )
        if threshold.percent is not None and instrument.range.min != 0:
            # A percentage is of the baseline, which only means something on a scale from 0.
            raise InstrumentError(f"{code}: threshold {threshold.code!r} is a percentage on a scale not from 0")


# --- Loading a clinic's instrument from plain data (parsed JSON) --------------------------------

INSTRUMENT_KEYS = {
    "code",
    "name",
    "items",
    "scoring",
    "range",
    "direction",
    "meaningful_change",
    "licence",
    "patient_named",
}
ITEM_KEYS = {"id", "kind", "low", "high", "anchors", "text"}
THRESHOLD_KEYS = {"code", "label", "source", "points", "percent"}


def instrument_from_dict(data: Mapping[str, Any]) -> Instrument:
    """Build an instrument from plain data a clinic loads, or refuse it with an InstrumentError.

    The keys are the Instrument's fields; enums by value ("sum_as_percentage"), `range` as
    {"min": 0, "max": 100}, items and thresholds as lists of dicts with their fields' names.
    Words in the data are the clinic's own and are shown as they are (not translated)."""
    where = f"instrument {data.get('code')!r}" if isinstance(data, Mapping) else "instrument"
    fields = _keys(data, INSTRUMENT_KEYS, where, optional={"patient_named"})
    named = fields.get("patient_named")
    return Instrument(
        code=_text(fields, "code", where),
        name=_text(fields, "name", where),
        items=tuple(_item(entry, f"{where} item {n}") for n, entry in enumerate(_list(fields, "items", where), 1)),
        scoring=_choice(Scoring, fields, "scoring", where),
        range=_range(fields["range"], where),
        direction=_choice(Direction, fields, "direction", where),
        meaningful_change=tuple(
            _threshold(entry, f"{where} threshold {n}")
            for n, entry in enumerate(_list(fields, "meaningful_change", where), 1)
        ),
        licence=_text(fields, "licence", where),
        patient_named=None if named is None else _patient_named(named, where),
    )


def _keys(data: object, allowed: set[str], where: str, optional: Collection[str] = ()) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InstrumentError(f"{where}: expected an object, got {type(data).__name__}")
    unknown, missing = sorted(set(data) - allowed), sorted(allowed - set(optional) - set(data))
    if unknown:
        raise InstrumentError(f"{where}: unknown keys {unknown}")
    if missing:
        raise InstrumentError(f"{where}: missing keys {missing}")
    return data


def _item(data: object, where: str) -> Item:
    fields = _keys(data, ITEM_KEYS, where, optional={"anchors", "text"})
    anchors = []
    for n, entry in enumerate(_list(fields, "anchors", where, default=[]), 1):
        anchor = _keys(entry, {"value", "words"}, f"{where} anchor {n}")
        anchors.append(Anchor(_integer(anchor, "value", where), _text(anchor, "words", where)))
    return Item(
        id=_text(fields, "id", where),
        kind=_choice(ItemKind, fields, "kind", where),
        low=_integer(fields, "low", where),
        high=_integer(fields, "high", where),
        anchors=tuple(anchors),
        text=_text(fields, "text", where, default=""),
    )


def _threshold(data: object, where: str) -> Threshold:
    fields = _keys(data, THRESHOLD_KEYS, where, optional={"points", "percent"})
    return Threshold(
        code=_text(fields, "code", where),
        label=_text(fields, "label", where),
        source=_text(fields, "source", where),
        points=_number(fields, "points", where),
        percent=_number(fields, "percent", where),
    )


def _range(data: object, where: str) -> ScoreRange:
    fields = _keys(data, {"min", "max"}, f"{where} range")
    return ScoreRange(_required_number(fields, "min", where), _required_number(fields, "max", where))


def _patient_named(data: object, where: str) -> PatientNamedItems:
    fields = _keys(data, {"fewest", "most"}, f"{where} patient_named")
    return PatientNamedItems(_integer(fields, "fewest", where), _integer(fields, "most", where))


def _text(fields: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = fields.get(key, default)
    if not isinstance(value, str):
        raise InstrumentError(f"{where}: {key} must be text, got {value!r}")
    return value


def _integer(fields: Mapping[str, Any], key: str, where: str) -> int:
    value = fields.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstrumentError(f"{where}: {key} must be a whole number, got {value!r}")
    return value


def _number(fields: Mapping[str, Any], key: str, where: str) -> float | None:
    value = fields.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstrumentError(f"{where}: {key} must be a number, got {value!r}")
    return float(value)


def _required_number(fields: Mapping[str, Any], key: str, where: str) -> float:
    value = _number(fields, key, where)
    if value is None:
        raise InstrumentError(f"{where}: {key} must be a number, got None")
    return value


def _list(fields: Mapping[str, Any], key: str, where: str, default: list[Any] | None = None) -> list[Any]:
    value = fields.get(key, default)
    if not isinstance(value, list):
        raise InstrumentError(f"{where}: {key} must be a list, got {value!r}")
    return value


def _choice(kind: type[E], fields: Mapping[str, Any], key: str, where: str) -> E:
    value = fields.get(key)
    try:
        return kind(str(value))
    except ValueError:
        choices = [member.value for member in kind]
        raise InstrumentError(f"{where}: unknown {key} {value!r}; use one of {choices}") from None
