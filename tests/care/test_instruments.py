"""Outcome measures: scores from answers, the change from baseline and whether it is meaningful,
and the instruments a clinic loads. Pure: no database."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from care.builtin_instruments import ABBOTT_SCHMITT_2014, BUILT_IN, CLELAND_2008, FARRAR_2001, NPRS, PSFS
from care.instruments import Direction, InstrumentError, Scoring, instrument_from_dict
from care.scoring import ScoreError, change, score

YOUNG_2009 = "Young et al., Spine J 2009, doi 10.1016/j.spinee.2009.06.002"


def ndi_rules(**changes: Any) -> dict[str, Any]:
    """NDI-style scoring rules as a clinic loads them: ten sections of 0-5, no item wording."""
    rules: dict[str, Any] = {
        "code": "ndi",
        "name": "Neck Disability Index",
        "items": [{"id": f"section-{n}", "kind": "ordinal", "low": 0, "high": 5} for n in range(1, 11)],
        "scoring": "sum_as_percentage",
        "range": {"min": 0, "max": 100},
        "direction": "lower_is_better",
        "meaningful_change": [
            {
                "code": "abbott-schmitt-2014",
                "label": "NDI on a 0-100 scale",
                "points": 14,
                "source": ABBOTT_SCHMITT_2014,
            }
        ],
        "licence": "Copyrighted: scoring rules only; the clinic loads wording it is licensed to use.",
    }
    rules.update(changes)
    return rules


def nprs(value: int) -> float:
    return score(NPRS, {"pain": value})


def psfs(*ratings: int) -> float:
    return score(PSFS, {f"activity {n}": rating for n, rating in enumerate(ratings)})


# --- NPRS ---------------------------------------------------------------------------------------


def test_nprs_is_the_one_answer() -> None:
    assert nprs(7) == 7.0
    assert NPRS.direction is Direction.LOWER_IS_BETTER
    assert [str(anchor.words) for anchor in NPRS.items[0].anchors] == ["No pain", "Worst pain imaginable"]


def test_three_points_less_pain_is_meaningful() -> None:
    result = change(NPRS, nprs(7), nprs(4))

    assert (result.absolute, result.improvement) == (-3, 3)
    assert result.improvement_percent == pytest.approx(42.857, abs=0.001)
    assert result.meaningful
    assert result.threshold.code == "farrar-2001"
    assert result.source == FARRAR_2001


def test_one_point_less_from_seven_is_not_meaningful() -> None:
    result = change(NPRS, 7, 6)

    assert result.improvement == 1
    assert not result.meaningful
    assert result.passed == ()


def test_one_point_less_from_three_is_meaningful_by_its_percentage() -> None:
    result = change(NPRS, 3, 2)

    assert result.improvement == 1
    assert result.percent == pytest.approx(-33.33, abs=0.01)
    assert result.improvement_percent == pytest.approx(33.33, abs=0.01)
    assert result.meaningful
    assert [t.code for t in result.passed] == ["farrar-2001"]  # 1 point is short of Cleland's 1.3


def test_the_neck_pain_threshold_is_there_with_its_source() -> None:
    neck = NPRS.threshold("cleland-2008-neck")
    assert (neck.points, neck.percent, neck.source) == (1.3, None, CLELAND_2008)

    assert change(NPRS, 6, 4.7, threshold="cleland-2008-neck").meaningful
    assert not change(NPRS, 6, 4.8, threshold="cleland-2008-neck").meaningful


@pytest.mark.parametrize(("baseline", "current"), [(4, 7), (2, 6), (0, 10), (5, 5)])
def test_a_worsening_is_never_a_meaningful_improvement(baseline: int, current: int) -> None:
    result = change(NPRS, baseline, current)

    assert result.improvement <= 0
    assert not result.meaningful
    assert result.passed == ()


def test_from_a_baseline_of_zero_there_is_no_percentage() -> None:
    result = change(NPRS, 0, 3)

    assert result.absolute == 3
    assert result.percent is None
    assert result.improvement_percent is None
    assert not result.meaningful


@pytest.mark.parametrize("answers", [{}, {"pain": 11}, {"pain": -1}, {"pain": 7, "mood": 3}, {"pain": 6.5}])
def test_nprs_refuses_answers_that_do_not_fit(answers: dict[str, Any]) -> None:
    with pytest.raises(ScoreError):
        score(NPRS, answers)


def test_change_refuses_a_score_outside_the_range() -> None:
    with pytest.raises(ScoreError, match="outside"):
        change(NPRS, 12, 4)
    with pytest.raises(InstrumentError, match="no threshold"):
        change(NPRS, 7, 4, threshold="made-up")


# --- PSFS ---------------------------------------------------------------------------------------


def test_psfs_is_the_mean_of_the_activities() -> None:
    assert psfs(2, 3, 4) == 3.0
    assert psfs(5, 6, 5, 6) == 5.5
    assert psfs(1, 2, 4, 5, 5) == pytest.approx(3.4)
    assert PSFS.direction is Direction.HIGHER_IS_BETTER


def test_from_3_to_5_4_passes_the_medium_change_and_not_the_large() -> None:
    baseline, current = psfs(2, 3, 4), psfs(5, 5, 6, 6, 5)
    assert current == pytest.approx(5.4)

    result = change(PSFS, baseline, current)

    assert result.improvement == pytest.approx(2.4)
    assert result.meaningful  # the default: the small change
    assert [t.code for t in result.passed] == ["small", "medium"]
    assert change(PSFS, baseline, current, threshold="medium").meaningful
    assert not change(PSFS, baseline, current, threshold="large").meaningful
    assert all(t.source == ABBOTT_SCHMITT_2014 for t in PSFS.meaningful_change)


def test_a_change_exactly_at_a_threshold_passes_it() -> None:
    # 4.3 - 3.0 is 1.2999999999999998 in floating point.
    assert change(PSFS, 3.0, 4.3).meaningful
    assert not change(PSFS, 3.0, 4.2).meaningful


def test_psfs_worsening_is_not_meaningful() -> None:
    result = change(PSFS, 6, 3)
    assert result.improvement == -3
    assert not result.meaningful


@pytest.mark.parametrize("ratings", [(4, 5), (1, 2, 3, 4, 5, 6)])
def test_psfs_needs_three_to_five_activities(ratings: tuple[int, ...]) -> None:
    with pytest.raises(ScoreError, match="3 to 5"):
        psfs(*ratings)


def test_psfs_refuses_a_rating_of_eleven() -> None:
    with pytest.raises(ScoreError, match="outside 0-10"):
        psfs(3, 11, 4)


def test_psfs_refuses_the_same_activity_twice_or_a_blank_one() -> None:
    with pytest.raises(ScoreError, match="twice"):
        score(PSFS, {"Lifting my child": 3, "lifting my child ": 4, "Driving": 2})
    with pytest.raises(ScoreError, match="name"):
        score(PSFS, {" ": 3, "Reading": 4, "Driving": 2})


def test_psfs_anchors_are_the_standard_ones() -> None:
    assert [str(anchor.words) for anchor in PSFS.items[0].anchors] == [
        "Unable to perform activity",
        "Able to perform activity at the same level as before injury or problem",
    ]


def test_the_built_in_instruments_are_nprs_and_psfs() -> None:
    assert set(BUILT_IN) == {"nprs", "psfs"}


# --- A clinic's own instrument ------------------------------------------------------------------


def test_a_clinic_loaded_ndi_scores_its_sum_as_a_percentage() -> None:
    ndi = instrument_from_dict(ndi_rules())
    answers = {f"section-{n}": answer for n, answer in enumerate([3, 2, 4, 1, 0, 5, 2, 3, 1, 4], 1)}  # sum 25

    assert ndi.scoring is Scoring.SUM_AS_PERCENTAGE
    assert score(ndi, answers) == 50.0
    assert score(ndi, dict.fromkeys(answers, 0)) == 0.0
    assert score(ndi, dict.fromkeys(answers, 5)) == 100.0
    assert change(ndi, 50, 36).meaningful
    assert change(ndi, 50, 36).source == ABBOTT_SCHMITT_2014
    assert not change(ndi, 50, 37).meaningful


def test_a_clinic_loaded_ndi_on_its_0_to_50_sum() -> None:
    young = {"code": "young-2009", "label": "NDI 0-50", "points": 10, "source": YOUNG_2009}
    ndi = instrument_from_dict(ndi_rules(scoring="sum", range={"min": 0, "max": 50}, meaningful_change=[young]))
    answers = {f"section-{n}": 2 for n in range(1, 11)}

    assert score(ndi, answers) == 20.0
    assert change(ndi, 30, 20).meaningful
    assert not change(ndi, 30, 21).meaningful
    with pytest.raises(ScoreError, match="missing"):
        score(ndi, {"section-1": 2})


def bad(path: str, value: Any) -> dict[str, Any]:
    """The NDI rules with one field, reached by a dotted path, set to value (or removed when ...)."""
    rules = copy.deepcopy(ndi_rules())
    *parents, last = path.split(".")
    target: Any = rules
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return rules


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (bad("range", {"min": 0, "max": 50}), "does not fit"),
        (bad("scoring", "median"), "unknown scoring"),
        (bad("direction", "sideways"), "unknown direction"),
        (bad("meaningful_change.0.source", " "), "has no source"),
        (bad("meaningful_change.0.source", ...), "missing keys"),
        (bad("meaningful_change", []), "at least one"),
        (bad("meaningful_change.0.points", ...), "points, a percentage or both"),
        (bad("meaningful_change.0.points", -2), "positive"),
        (bad("meaningful_change.0.points", 140), "beyond the range"),
        (bad("items", []), "at least one item"),
        (bad("items.0.high", 0), "must be below high"),
        (bad("items.0.low", "0"), "whole number"),
        (bad("items.1.id", "section-1"), "unique"),
        (bad("items.0.kind", "slider"), "unknown kind"),
        (bad("items.0.anchors", [{"value": 6, "words": "Worse than the scale"}]), "outside 0-5"),
        (bad("licence", ""), "licence"),
        (bad("code", "NDI!"), "instrument code"),
        (bad("treshold", 3), "unknown keys"),
        (bad("patient_named", {"fewest": 3, "most": 5}), "mean scoring"),
        (bad("scoring", "single_item"), "exactly one item"),
    ],
)
def test_it_refuses_a_bad_instrument(rules: dict[str, Any], message: str) -> None:
    with pytest.raises(InstrumentError, match=message):
        instrument_from_dict(rules)


def test_it_refuses_what_is_not_an_instrument() -> None:
    with pytest.raises(InstrumentError, match="expected an object"):
        instrument_from_dict([])  # type: ignore[arg-type]
    assert issubclass(InstrumentError, ValueError)
    assert issubclass(ScoreError, ValueError)


def test_a_percentage_threshold_needs_a_scale_from_zero() -> None:
    rules = ndi_rules(
        items=[{"id": "effort", "kind": "numeric_scale", "low": 1, "high": 7}],
        scoring="single_item",
        range={"min": 1, "max": 7},
        meaningful_change=[{"code": "made-up", "label": "x", "percent": 30, "source": "a source"}],
    )
    with pytest.raises(InstrumentError, match="not from 0"):
        instrument_from_dict(rules)
