"""The course chart for one instrument: the y axis is its range, the shaded band runs from the
baseline to the meaningful-change threshold in the improving direction (down for NPRS, up for
PSFS), every score is a point, and the title and description say the baseline, the latest
score, its change and whether it is meaningful."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from care.builtin_instruments import NPRS, PSFS
from care.course_chart import PLOT_H, TOP, Point, Scale, band, score_chart, y_of
from care.instruments import Instrument

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def scale_of(instrument: Instrument) -> Scale:
    threshold = instrument.threshold()
    return Scale(
        name=instrument.name,
        low=instrument.range.min,
        high=instrument.range.max,
        higher_is_better=instrument.higher_is_better,
        threshold_points=threshold.points,
        threshold_percent=threshold.percent,
        threshold_source=threshold.source,
    )


def points(scores: list[float], *, higher_is_better: bool, meaningful_from: float) -> list[Point]:
    baseline = scores[0]
    out = []
    for i, value in enumerate(scores):
        change = (value - baseline) if higher_is_better else (baseline - value)
        out.append(
            Point(
                when=START + timedelta(days=7 * i),
                timepoint="baseline" if i == 0 else "visit",
                timepoint_label="",
                score=value,
                baseline=baseline,
                change=change,
                change_percent=None if baseline == 0 else change / baseline * 100,
                meaningful=i > 0 and change >= meaningful_from,
            )
        )
    return out


def parsed(svg: str) -> Any:
    return fromstring(svg)


def text(root: Any, tag: str) -> str:
    found = root.find(f"{SVG}{tag}")
    assert found is not None and found.text is not None
    return str(found.text)


def test_the_nprs_band_runs_down_from_the_baseline_by_the_threshold() -> None:
    scale = scale_of(NPRS)
    chart = score_chart(scale, points([8, 7, 5], higher_is_better=False, meaningful_from=2), id_prefix="c")
    root = parsed(chart.svg)
    rect = root.find(f"{SVG}rect[@class='course-chart__band']")

    assert chart.band == (6, 8)  # 2 points is less than 30% of 8 (2.4): the smaller one is enough
    assert float(rect.get("y")) == y_of(scale, 8)
    assert float(rect.get("y")) + float(rect.get("height")) == pytest.approx(y_of(scale, 6))
    threshold = root.find(f"{SVG}line[@class='course-chart__threshold']")
    assert float(threshold.get("y1")) == y_of(scale, 6)


def test_a_low_nprs_baseline_takes_the_percentage_as_the_threshold() -> None:
    assert band(scale_of(NPRS), 5) == (3.5, 5)  # 30% of 5 is 1.5 points, less than 2


def test_the_psfs_band_runs_up_from_the_baseline_and_stops_at_the_top() -> None:
    scale = scale_of(PSFS)
    chart = score_chart(scale, points([3, 4, 5], higher_is_better=True, meaningful_from=1.3), id_prefix="c")
    rect = parsed(chart.svg).find(f"{SVG}rect[@class='course-chart__band']")

    assert chart.band == pytest.approx((3, 4.3))
    assert float(rect.get("y")) == y_of(scale, 4.3)
    assert float(rect.get("y")) + float(rect.get("height")) == pytest.approx(y_of(scale, 3))
    assert band(scale, 9.5) == (9.5, 10)


def test_the_y_axis_is_the_instruments_range() -> None:
    scale = Scale("ODI-like", 0, 100, False, 10, 30)

    assert y_of(scale, 100) == TOP
    assert y_of(scale, 0) == TOP + PLOT_H
    assert y_of(scale, 50) == TOP + PLOT_H / 2


def test_every_score_is_a_point_on_a_line_and_meaningful_ones_have_a_ring() -> None:
    scale = scale_of(NPRS)
    chart = score_chart(scale, points([8, 7, 5, 4], higher_is_better=False, meaningful_from=2), id_prefix="c")
    root = parsed(chart.svg)
    groups = root.findall(f"{SVG}g")

    assert [g.get("data-score") for g in groups] == ["8", "7", "5", "4"]
    assert [len(g.findall(f"{SVG}circle")) for g in groups] == [1, 1, 2, 2]  # dot, plus a ring when meaningful
    assert [float(g.findall(f"{SVG}circle")[-1].get("cy")) for g in groups] == [y_of(scale, s) for s in (8, 7, 5, 4)]
    line = root.find(f"{SVG}polyline")
    assert len(line.get("points").split()) == 4


def test_the_title_and_description_summarise_the_course() -> None:
    chart = score_chart(
        scale_of(NPRS), points([7, 6, 4], higher_is_better=False, meaningful_from=2), id_prefix="chart-nprs"
    )
    root = parsed(chart.svg)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-nprs-title chart-nprs-desc"
    assert text(root, "title") == "Numeric Pain Rating Scale over the course"
    assert text(root, "desc") == (
        "Baseline 7 on 4 May 2026. Latest 4 on 18 May 2026: better by 3 (43%), a meaningful change. Lower is better."
    )


def test_the_description_says_when_the_change_is_not_yet_meaningful() -> None:
    chart = score_chart(scale_of(PSFS), points([3, 4], higher_is_better=True, meaningful_from=1.3), id_prefix="c")

    assert "Latest 4 on 11 May 2026: better by 1 (33%), not yet a meaningful change. Higher is better." in chart.summary
    assert "Higher is better." in [t.text for t in parsed(chart.svg).iter(f"{SVG}text")]


def test_a_baseline_alone_is_drawn_and_no_scores_draw_nothing() -> None:
    one = score_chart(scale_of(NPRS), points([6], higher_is_better=False, meaningful_from=2), id_prefix="c")

    assert "No later scores yet." in one.summary and len(parsed(one.svg).findall(f"{SVG}g")) == 1
    assert score_chart(scale_of(NPRS), [], id_prefix="c").svg == ""


def test_the_table_has_a_row_per_score_headed_by_its_date() -> None:
    chart = score_chart(scale_of(NPRS), points([7, 6, 4], higher_is_better=False, meaningful_from=2), id_prefix="c")
    rows = fromstring(f"<tbody>{chart.rows}</tbody>").findall("tr")

    assert [row.find("th").get("scope") for row in rows] == ["row"] * 3
    assert [row.find("th/time").text for row in rows] == ["4 May 2026", "11 May 2026", "18 May 2026"]
    assert [[td.text for td in row.findall("td")][1:] for row in rows] == [
        ["7", "baseline", "—"],
        ["6", "better by 1 (14%)", "No"],
        ["4", "better by 3 (43%)", "Yes"],
    ]
    assert rows[2].get("class") == "data-table__row--marked"
