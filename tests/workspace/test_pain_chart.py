"""The pain trend chart: a pure function from (date, score, source) to an SVG with a
title, a description and a table; a change of 2 points or 30% from the baseline is marked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given
from hypothesis import strategies as st

from workspace.chart import is_meaningful, pain_chart, percent_change

SVG = "{http://www.w3.org/2000/svg}"


def _text(element: Any, tag: str) -> str:
    found = element.find(f"{SVG}{tag}")
    assert found is not None and found.text is not None
    return str(found.text)


def test_the_first_score_is_the_baseline_and_is_never_marked() -> None:
    chart = pain_chart([(date(2026, 3, 2), 7, "before"), (date(2026, 3, 9), 7, "before")])

    assert chart.baseline == 7
    assert [r.meaningful for r in chart.rows] == [False, False]


@pytest.mark.parametrize(
    ("baseline", "score", "meaningful"),
    [
        (8, 6, True),  # 2 points
        (8, 7, False),  # 1 point, 12.5%
        (3, 2, True),  # 1 point, but 33%
        (10, 7, True),  # 3 points and exactly 30%
        (10, 8, True),  # 2 points, 20%
        (4, 5, False),  # 1 point worse, 25%
        (4, 6, True),  # worse counts too: 2 points
        (0, 1, False),  # no percentage from zero
        (0, 2, True),
    ],
)
def test_a_meaningful_change_is_two_points_or_thirty_percent(baseline: int, score: int, meaningful: bool) -> None:
    assert is_meaningful(baseline, score) is meaningful


def test_the_rows_give_the_raw_score_the_change_and_the_percentage() -> None:
    chart = pain_chart(
        [
            (date(2026, 3, 2), 8, "before"),
            (date(2026, 3, 2), 5, "after"),
            (date(2026, 3, 4), 6, "check-in"),
            (date(2026, 3, 9), 7, "before"),
        ]
    )

    assert [(r.score, r.change, r.percent, r.meaningful) for r in chart.rows] == [
        (8, 0, 0, False),
        (5, -3, -38, True),
        (6, -2, -25, True),
        (7, -1, -12, False),
    ]
    assert chart.rows[1].change_words == "3 points better (38%)"
    assert chart.rows[1].source_label == "After the session"


def test_the_svg_is_valid_has_a_title_and_description_and_marks_meaningful_points() -> None:
    chart = pain_chart(
        [(date(2026, 3, 2), 8, "before"), (date(2026, 3, 9), 5, "before"), (date(2026, 3, 16), 7, "before")],
        id_prefix="pain-42",
    )

    root = fromstring(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "pain-42-title pain-42-desc"
    assert _text(root, "title") == "Pain (0 to 10) across sessions"
    description = _text(root, "desc")
    assert "Baseline 8 on 2 Mar 2026" in description
    assert "Latest 7 on 16 Mar 2026" in description and "not a meaningful change" in description
    marked = [g for g in root.iter(f"{SVG}g") if "pain-chart__point--meaningful" in (g.get("class") or "")]
    assert len(marked) == 1
    assert "5; 3 points better (38%) (meaningful change)" in _text(marked[0], "title")


def test_the_svg_needs_no_inline_style() -> None:
    chart = pain_chart([(date(2026, 3, 2), 8, "before"), (date(2026, 3, 9), 2, "check-in")])

    assert "style=" not in chart.svg and "<style" not in chart.svg


def test_text_in_the_svg_is_escaped() -> None:
    chart = pain_chart([(date(2026, 3, 2), 3, "before")], title="<script>alert(1)</script>")

    assert "<script>" not in chart.svg
    fromstring(chart.svg)


def test_aware_times_are_shown_as_the_clinics_dates() -> None:
    late = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # already 30 March in Auckland

    chart = pain_chart([(late, 4, "check-in")], zone=ZoneInfo("Pacific/Auckland"))

    assert chart.rows[0].day == "30 Mar 2026"


def test_no_points_make_no_chart() -> None:
    chart = pain_chart([])

    assert chart.svg == "" and chart.rows == [] and chart.baseline is None


def test_a_score_outside_0_to_10_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        pain_chart([(date(2026, 3, 2), 11, "before")])


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=40))
def test_any_series_draws_a_well_formed_svg_with_one_marker_per_point(scores: list[int]) -> None:
    points = [(date(2026, 1, 1 + i % 28), s, ("before", "after", "check-in")[i % 3]) for i, s in enumerate(scores)]

    chart = pain_chart(points)

    root = fromstring(chart.svg)
    assert len([g for g in root.iter(f"{SVG}g") if "pain-chart__point" in (g.get("class") or "")]) == len(scores)
    for row in chart.rows[1:]:
        assert row.meaningful == (abs(row.change) >= 2 or (scores[0] > 0 and abs(row.change) / scores[0] >= 0.3))
    assert percent_change(scores[0], scores[-1]) == chart.rows[-1].percent
