"""One outcome measure's scores across a course, as a server-rendered SVG with a table beside it.

Pure: no database (Django only for the reader's language and number formats). The y axis is
the instrument's own range; the direction (lower or higher is better) is said in words. The
shaded band runs from the baseline to the meaningful-change threshold in the improving
direction: a score inside it has not yet changed meaningfully (a worsening never counts, so
only the improving side is drawn). The threshold is the smaller of its points and its
percentage of the baseline, because either one is enough (care/scoring.py::reaches).

Accessibility (WCAG 2.2 1.1.1 and 1.3.1): the SVG is an image (role="img") whose <title> and
<desc> give a short summary (baseline, latest, change, meaningful or not, direction), and the
page always shows a real table with every score, visible to everyone. The chart is not
aria-hidden: its accessible name is the summary, not a copy of the data, so a screen-reader user
hears the point of the chart once and reads the figures in the table; the points' own tooltips
sit inside the image and are not read twice. Colour is never the only cue: meaningful points
carry a ring, the band and the lines are labelled in the legend, and the table has a
"Meaningful?" column. Colours reach 4.5:1 (text) and 3:1 (lines, band edge) on white.

No inline styles (the CSP allows only our stylesheet): colours are SVG attributes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from html import escape

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from core import formats

WIDTH, HEIGHT = 480, 330
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 30, 114
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICKS = 5
MAX_X_LABELS = 6
# On white: INK 16:1, LINE 7.6:1, MUTED 7.4:1; BAND_EDGE 7.4:1 marks the band's edge, whose pale
# fill (BAND) is decoration only.
INK, MUTED, GRID, LINE, BAND, BAND_EDGE = "#1b1f23", "#4a5560", "#c9d1d6", "#0b5d52", "#e3eeeb", "#4a5560"


# A long course shows hundreds of scores, each with its date, score and change in the chart and
# again in the table; Babel takes ~50 us to find the locale each time, so each (value, language)
# is formatted once per process (the bench went from 175 to under 50 ms a page).
@lru_cache(maxsize=4096)
def _date(day: date, language: str | None) -> str:
    return formats.short_date(day, language)


@lru_cache(maxsize=4096)
def _number(value: float, language: str | None) -> str:
    return formats.number(value, language)


@lru_cache(maxsize=1024)
def _percent(value: float, language: str | None) -> str:
    return formats.percent(value, language)


@lru_cache(maxsize=16)
def _words(language: str | None) -> dict[str, str]:
    """The phrases every point uses, translated once per language rather than once per point."""
    return {
        "baseline": _("baseline"),
        "same": _("no change"),
        "better": _("better by %(points)s"),
        "worse": _("worse by %(points)s"),
        "with_percent": _("%(change)s (%(percent)s)"),
        "tip": _("%(day)s: %(score)s; %(change)s"),
        "tip_meaningful": _("%(point)s (meaningful change)"),
        "yes": _("Yes"),
        "no": _("No"),
    }


@dataclass(frozen=True)
class Scale:
    """What the chart needs to know of an instrument and the threshold applied."""

    name: StrOrPromise
    low: float
    high: float
    higher_is_better: bool
    threshold_points: float | None
    threshold_percent: float | None
    threshold_label: StrOrPromise = ""
    threshold_source: str = ""

    def threshold_at(self, baseline: float) -> float | None:
        """The improvement, in points, that is meaningful from this baseline."""
        options = [self.threshold_points] if self.threshold_points is not None else []
        if self.threshold_percent is not None and baseline > 0:
            options.append(self.threshold_percent * baseline / 100)
        return min(options) if options else None

    @property
    def direction_words(self) -> str:
        return _("Higher is better.") if self.higher_is_better else _("Lower is better.")

    @property
    def threshold_words(self) -> str:
        points, percent = self.threshold_points, self.threshold_percent
        if points is not None and percent is not None:
            return _("%(points)s points or %(percent)s") % {
                "points": formats.number(points),
                "percent": formats.percent(percent / 100),
            }
        if points is not None:
            return _("%(points)s points") % {"points": formats.number(points)}
        return formats.percent((percent or 0) / 100)


@dataclass(frozen=True)
class Point:
    """One score as stored: `change` is the improvement in points (positive is better) and
    `change_percent` the same as a percentage of the baseline (None from a baseline of 0)."""

    when: datetime  # already in the clinic's zone
    timepoint: str
    timepoint_label: StrOrPromise
    score: float
    baseline: float
    change: float
    change_percent: float | None
    meaningful: bool
    threshold_source: str = ""

    @property
    def is_baseline(self) -> bool:
        return self.timepoint == "baseline"

    # Cached: the chart and the table each show them (a frozen dataclass still has a __dict__).
    @cached_property
    def day(self) -> str:
        return _date(self.when.date(), get_language())

    @cached_property
    def score_text(self) -> str:
        return _number(round(self.score, 2), get_language())

    @cached_property
    def iso(self) -> str:
        return self.when.isoformat()

    @cached_property
    def change_words(self) -> str:
        language = get_language()
        words = _words(language)
        if self.is_baseline:
            return words["baseline"]
        if abs(self.change) < 1e-9:
            return words["same"]
        values = {"points": _number(round(abs(self.change), 2), language)}
        change = (words["better"] if self.change > 0 else words["worse"]) % values
        if self.change_percent is None:
            return change
        percent = _percent(round(abs(self.change_percent)) / 100, language)
        return words["with_percent"] % {"change": change, "percent": percent}


@dataclass(frozen=True)
class ScoreChart:
    svg: str
    summary: str
    band: tuple[float, float] | None  # (lower, upper) score bounds of the not-yet-meaningful zone
    rows: str = ""  # the table's body rows (<tr>), the chart's text alternative


def table_rows(points: Sequence[Point]) -> str:
    """One <tr> per score: date (the row's header), when, score, change, meaningful or not.

    Built here rather than in the template: a long course has hundreds of rows, and Django's
    template lookups for them cost more than the rest of the page."""
    words = _words(get_language())
    out = []
    for point in points:
        meaningful = "—" if point.is_baseline else words["yes"] if point.meaningful else words["no"]
        marked = ' class="data-table__row--marked"' if point.meaningful else ""
        cells = (point.timepoint_label, point.score_text, point.change_words, meaningful)
        out.append(
            f'<tr{marked}><th scope="row"><time datetime="{escape(point.iso)}">{escape(point.day)}</time></th>'
            + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells)
            + "</tr>"
        )
    return "".join(out)


def band(scale: Scale, baseline: float) -> tuple[float, float] | None:
    """The scores from the baseline up to (not yet) a meaningful improvement, clamped to the range."""
    width = scale.threshold_at(baseline)
    if width is None:
        return None
    if scale.higher_is_better:
        return baseline, min(scale.high, baseline + width)
    return max(scale.low, baseline - width), baseline


def summary(scale: Scale, points: Sequence[Point]) -> str:
    if not points:
        return _("No scores yet.")
    first, last = points[0], points[-1]
    parts = [_("Baseline %(score)s on %(day)s.") % {"score": first.score_text, "day": first.day}]
    if len(points) == 1:
        parts.append(_("No later scores yet."))
    else:
        values = {"score": last.score_text, "day": last.day, "change": last.change_words}
        if last.meaningful:
            parts.append(_("Latest %(score)s on %(day)s: %(change)s, a meaningful change.") % values)
        else:
            parts.append(_("Latest %(score)s on %(day)s: %(change)s, not yet a meaningful change.") % values)
    parts.append(scale.direction_words)
    return " ".join(parts)


def score_chart(scale: Scale, points: Sequence[Point], *, id_prefix: str) -> ScoreChart:
    """Points in time order, the first being the baseline -> the chart."""
    said = summary(scale, points)
    if not points:
        return ScoreChart(svg="", summary=said, band=None)
    zone = band(scale, points[0].baseline)
    title = _("%(name)s over the course") % {"name": scale.name}
    ids = f"{id_prefix}-title {id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="course-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(ids)}" focusable="false" font-size="13">',
        f'<title id="{escape(id_prefix)}-title">{escape(title)}</title>',
        f'<desc id="{escape(id_prefix)}-desc">{escape(said)}</desc>',
        *_band(scale, zone),
        *_axes(scale),
        *_baseline(scale, points[0].baseline),
        _line(scale, points),
        *(_marker(scale, point, i, len(points)) for i, point in enumerate(points)),
        *_x_labels(points),
        *_legend(scale, zone is not None),
        "</svg>",
    ]
    return ScoreChart(svg="".join(part for part in parts if part), summary=said, band=zone, rows=table_rows(points))


# --- Drawing ----------------------------------------------------------------------------------


def x_of(index: int, count: int) -> float:
    return round(LEFT + (index + 0.5) * PLOT_W / count, 1)


def y_of(scale: Scale, score: float) -> float:
    share = (score - scale.low) / (scale.high - scale.low)
    return round(TOP + PLOT_H * (1 - share), 1)


def _band(scale: Scale, zone: tuple[float, float] | None) -> list[str]:
    if zone is None:
        return []
    top, bottom = y_of(scale, zone[1]), y_of(scale, zone[0])
    edge = zone[1] if scale.higher_is_better else zone[0]
    y = y_of(scale, edge)
    return [
        f'<rect class="course-chart__band" x="{LEFT}" y="{top}" width="{PLOT_W}" height="{round(bottom - top, 1)}" '
        f'fill="{BAND}"/>',
        f'<line class="course-chart__threshold" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" '
        f'stroke="{BAND_EDGE}" stroke-width="1.5" stroke-dasharray="2 3"/>',
    ]


def _ticks(scale: Scale) -> list[float]:
    step = (scale.high - scale.low) / TICKS
    return [scale.low + step * i for i in range(TICKS + 1)]


def _axes(scale: Scale) -> list[str]:
    score = escape(_("Score"))
    out = [f'<text x="{LEFT - 36}" y="{TOP - 14}" fill="{INK}">{score}</text>']
    direction = escape(scale.direction_words)
    out.append(f'<text x="{WIDTH - RIGHT}" y="{TOP - 14}" text-anchor="end" fill="{INK}">{direction}</text>')
    for value in _ticks(scale):
        y = y_of(scale, value)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
        label = _number(round(value, 1), get_language())
        out.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{escape(label)}</text>')
    out.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{y_of(scale, scale.low)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return out


def _baseline(scale: Scale, baseline: float) -> list[str]:
    y = y_of(scale, baseline)
    return [
        f'<line class="course-chart__baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="8 4"/>'
    ]


def _line(scale: Scale, points: Sequence[Point]) -> str:
    if len(points) < 2:
        return ""
    path = " ".join(f"{x_of(i, len(points))},{y_of(scale, p.score)}" for i, p in enumerate(points))
    return f'<polyline class="course-chart__line" points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>'


def _marker(scale: Scale, point: Point, index: int, count: int) -> str:
    x, y = x_of(index, count), y_of(scale, point.score)
    words = _words(get_language())
    tip = words["tip"] % {"day": point.day, "score": point.score_text, "change": point.change_words}
    if point.meaningful:
        tip = words["tip_meaningful"] % {"point": tip}
    ring = f'<circle cx="{x}" cy="{y}" r="10.5" fill="none" stroke="{INK}" stroke-width="2"/>'
    ring = ring if point.meaningful else ""
    css = "course-chart__point" + (" course-chart__point--meaningful" if point.meaningful else "")
    return (
        f'<g class="{css}" data-score="{point.score:g}"><title>{escape(tip)}</title>{ring}'
        f'<circle cx="{x}" cy="{y}" r="5.5" fill="{LINE}"/></g>'
    )


def _x_labels(points: Sequence[Point]) -> list[str]:
    step = max(1, -(-len(points) // MAX_X_LABELS))
    y = TOP + PLOT_H + 18
    return [
        f'<text x="{x_of(i, len(points))}" y="{y}" text-anchor="middle" fill="{INK}">'
        f"{escape(formats.short_day_month(points[i].when))}</text>"
        for i in range(0, len(points), step)
    ]


def _legend(scale: Scale, with_band: bool) -> list[str]:
    x, y = LEFT - 36, TOP + PLOT_H + 46
    out = []
    if with_band:
        out.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{BAND}" stroke="{BAND_EDGE}"/>')
        words = _("Shaded: change not yet meaningful (%(threshold)s)") % {"threshold": scale.threshold_words}
        out.append(f'<text x="{x + 22}" y="{y}" fill="{INK}">{escape(words)}</text>')
        y += 22
    out.append(
        f'<line x1="{x}" x2="{x + 16}" y1="{y - 4}" y2="{y - 4}" stroke="{MUTED}" stroke-width="1.5" '
        f'stroke-dasharray="8 4"/>'
    )
    dashed = escape(_("Dashed line: the baseline"))
    out.append(f'<text x="{x + 22}" y="{y}" fill="{INK}">{dashed}</text>')
    y += 22
    out.append(f'<circle cx="{x + 7}" cy="{y - 4}" r="8" fill="none" stroke="{INK}" stroke-width="2"/>')
    ring = escape(_("Ring: a meaningful change"))
    out.append(f'<text x="{x + 22}" y="{y}" fill="{INK}">{ring}</text>')
    return out
