"""Scores from answers, and the change from a baseline: pure functions of an instrument.

A change is meaningful when the improvement (the change signed so that better is positive)
reaches the threshold's points or its percentage of the baseline; a worsening never is. Which
threshold applied, and its source, travel with the result so they can be shown beside it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from care.instruments import Instrument, Item, Scoring, Threshold

# Scores are means and percentages: 4.3 - 3.0 is 1.2999999999999998 in floating point, and a
# change exactly at a threshold must pass it.
TOLERANCE = 1e-9


class ScoreError(ValueError):
    """Answers or scores that do not fit the instrument; the message says which."""


Answers = Mapping[str, int]  # item id (or, for PSFS, the activity the patient named) -> answer


@dataclass(frozen=True)
class Change:
    baseline: float
    current: float
    absolute: float  # current - baseline, in the scale's points
    percent: float | None  # absolute as a percentage of the baseline; None when the baseline is 0
    improvement: float  # absolute, signed so that positive is better
    improvement_percent: float | None  # percent, signed so that positive is better
    meaningful: bool  # the improvement reaches the threshold's points or its percentage
    threshold: Threshold  # the threshold applied
    passed: tuple[Threshold, ...]  # every threshold of the instrument the improvement reaches

    @property
    def source(self) -> str:
        return self.threshold.source


def score(instrument: Instrument, answers: Answers) -> float:
    """The instrument's score for these answers; ScoreError if one is missing, unknown or out of range."""
    values = [value for _, value in _checked(instrument, answers)]
    if instrument.scoring is Scoring.MEAN:
        return math.fsum(values) / len(values)
    if instrument.scoring is Scoring.SUM:
        return float(sum(values))
    if instrument.scoring is Scoring.SUM_AS_PERCENTAGE:
        low = sum(item.low for item in instrument.items)
        high = sum(item.high for item in instrument.items)
        return (sum(values) - low) / (high - low) * 100
    return float(values[0])


def change(instrument: Instrument, baseline: float, current: float, *, threshold: str | None = None) -> Change:
    """The change from baseline to current, judged by the threshold with this code (default: the first)."""
    for name, value in (("baseline", baseline), ("current", current)):
        if value not in instrument.range:
            raise ScoreError(f"{name} {value!r} is outside {instrument.code}'s range")
    absolute = current - baseline
    percent = None if baseline == 0 else absolute / baseline * 100
    sign = 1 if instrument.higher_is_better else -1
    improvement = sign * absolute
    improvement_percent = None if percent is None else sign * percent
    applied = instrument.threshold(threshold)
    return Change(
        baseline=baseline,
        current=current,
        absolute=absolute,
        percent=percent,
        improvement=improvement,
        improvement_percent=improvement_percent,
        meaningful=reaches(applied, improvement, improvement_percent),
        threshold=applied,
        passed=tuple(t for t in instrument.meaningful_change if reaches(t, improvement, improvement_percent)),
    )


def reaches(threshold: Threshold, improvement: float, improvement_percent: float | None) -> bool:
    by_points = threshold.points is not None and improvement >= threshold.points - TOLERANCE
    by_percent = (
        threshold.percent is not None
        and improvement_percent is not None
        and improvement_percent >= threshold.percent - TOLERANCE
    )
    return by_points or by_percent


def _checked(instrument: Instrument, answers: Answers) -> list[tuple[Item, int]]:
    if not isinstance(answers, Mapping):
        raise ScoreError(f"{instrument.code}: answers must map each item to its answer")
    pairs = _named_by_patient(instrument, answers) if instrument.patient_named else _fixed(instrument, answers)
    for key, (item, value) in zip(answers, pairs, strict=True):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScoreError(f"{instrument.code}: the answer to {key!r} must be a whole number, got {value!r}")
        if not item.low <= value <= item.high:
            raise ScoreError(f"{instrument.code}: the answer to {key!r} is {value}, outside {item.low}-{item.high}")
    return pairs


def _fixed(instrument: Instrument, answers: Answers) -> list[tuple[Item, int]]:
    ids = [item.id for item in instrument.items]
    missing, unknown = [i for i in ids if i not in answers], sorted(set(answers) - set(ids))
    if missing:
        raise ScoreError(f"{instrument.code}: every item needs an answer; missing {missing}")
    if unknown:
        raise ScoreError(f"{instrument.code}: no such items {unknown}")
    by_id = {item.id: item for item in instrument.items}
    return [(by_id[key], value) for key, value in answers.items()]


def _named_by_patient(instrument: Instrument, answers: Answers) -> list[tuple[Item, int]]:
    named = instrument.patient_named
    assert named is not None
    if not named.fewest <= len(answers) <= named.most:
        raise ScoreError(
            f"{instrument.code}: rate {named.fewest} to {named.most} activities you name, not {len(answers)}"
        )
    names = [str(key).strip().casefold() for key in answers]
    if not all(names):
        raise ScoreError(f"{instrument.code}: every activity needs a name")
    if len(set(names)) != len(names):
        raise ScoreError(f"{instrument.code}: the same activity is named twice")
    return [(instrument.items[0], value) for value in answers.values()]
