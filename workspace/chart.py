"""Pain across sessions as a server-rendered SVG, with a table as its text alternative.

Pure: no database (Django only for the reader's language and its date formats). A
meaningful change from the baseline (the first score) is 2 points or 30% of the
baseline on the 0-10 scale (Farrar et al., Pain 2001; FACTS.md section 6), in either direction.
Nothing here is stored: the chart is drawn from the session notes and check-ins each time.

No inline styles (the CSP allows only our stylesheet): colours are SVG attributes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import StrOrPromise

from core import formats

MEANINGFUL_POINTS = 2
MEANINGFUL_PERCENT = 30

WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 26, 86
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 6
INK, MUTED, GRID = "#1b1f23", "#4a5560", "#c9d1d6"


@dataclass(frozen=True)
class Source:
    label: StrOrPromise
    colour: str
    marker: str  # circle, square or triangle
    dash: str  # stroke-dasharray of the line joining this source's points


SOURCES = {
    "before": Source(gettext_lazy("Before the session"), "#0b5d52", "circle", ""),
    "after": Source(gettext_lazy("After the session"), "#8a5a00", "square", "6 4"),
    "check-in": Source(gettext_lazy("Patient check-in"), "#5b3f99", "triangle", "2 4"),
}


@dataclass(frozen=True)
class PainPoint:
    when: datetime | date
    score: int
    source: str


@dataclass(frozen=True)
class Row:
    when: datetime | date
    day: str
    short_day: str  # the x-axis label: the day without its year
    score: int
    source: str
    change: int
    percent: int | None
    meaningful: bool

    @property
    def source_label(self) -> str:
        return str(SOURCES[self.source].label) if self.source in SOURCES else self.source

    @property
    def change_words(self) -> str:
        if self.change == 0:
            return _("no change")
        n = abs(self.change)
        if self.change < 0:
            points = ngettext("%(n)s point better", "%(n)s points better", n) % {"n": n}
        else:
            points = ngettext("%(n)s point worse", "%(n)s points worse", n) % {"n": n}
        if self.percent is None:
            return points
        return _("%(change)s (%(percent)s)") % {"change": points, "percent": formats.percent(abs(self.percent) / 100)}


@dataclass(frozen=True)
class PainChart:
    svg: str
    rows: list[Row]
    baseline: int | None
    summary: str


def is_meaningful(baseline: int, score: int) -> bool:
    change = abs(score - baseline)
    # Integer arithmetic: 30% of 10 is exactly 3, not 2.9999.
    return change >= MEANINGFUL_POINTS or (baseline > 0 and change * 100 >= MEANINGFUL_PERCENT * baseline)


def percent_change(baseline: int, score: int) -> int | None:
    if baseline == 0:
        return None  # a change from no pain has no percentage
    return round((score - baseline) * 100 / baseline)


def pain_chart(
    points: Iterable[PainPoint | tuple[datetime | date, int, str]],
    *,
    zone: ZoneInfo | None = None,
    id_prefix: str = "pain-chart",
    title: str | None = None,
) -> PainChart:
    """Points in time order -> the chart. `zone` shows aware times as local dates."""
    title = title or _("Pain (0 to 10) across sessions")
    given = [p if isinstance(p, PainPoint) else PainPoint(*p) for p in points]
    for point in given:
        if not 0 <= point.score <= 10:
            raise ValueError(f"pain scores run from 0 to 10, not {point.score}")
    if not given:
        return PainChart(svg="", rows=[], baseline=None, summary=_("No pain scores recorded yet."))
    baseline = given[0].score
    rows = [
        Row(
            when=p.when,
            day=formats.short_date(_local(p.when, zone)),
            short_day=formats.short_day_month(_local(p.when, zone)),
            score=p.score,
            source=p.source,
            change=p.score - baseline,
            percent=percent_change(baseline, p.score),
            meaningful=i > 0 and is_meaningful(baseline, p.score),
        )
        for i, p in enumerate(given)
    ]
    summary = _summary(rows)
    return PainChart(svg=_svg(rows, baseline, id_prefix, title, summary), rows=rows, baseline=baseline, summary=summary)


def _local(when: datetime | date, zone: ZoneInfo | None) -> datetime | date:
    if isinstance(when, datetime) and zone is not None and when.tzinfo is not None:
        return when.astimezone(zone)
    return when


def _summary(rows: list[Row]) -> str:
    first, last = rows[0], rows[-1]
    baseline = {"score": first.score, "day": first.day, "source": first.source_label.lower()}
    if len(rows) == 1:
        return _("Baseline %(score)s on %(day)s (%(source)s). No later scores yet.") % baseline
    latest = {"score": last.score, "day": last.day, "source": last.source_label.lower(), "change": last.change_words}
    if last.meaningful:
        latest_text = _("Latest %(score)s on %(day)s (%(source)s): %(change)s, a meaningful change.") % latest
    else:
        latest_text = _("Latest %(score)s on %(day)s (%(source)s): %(change)s, not a meaningful change.") % latest
    marked = sum(r.meaningful for r in rows)
    later = len(rows) - 1
    counted = ngettext(
        "%(marked)s of %(n)s later score differs meaningfully from the baseline.",
        "%(marked)s of %(n)s later scores differ meaningfully from the baseline.",
        later,
    ) % {"marked": marked, "n": later}
    return " ".join([_("Baseline %(score)s on %(day)s (%(source)s).") % baseline, latest_text, counted])


# --- Drawing ----------------------------------------------------------------------------------


def _x(index: int, count: int) -> float:
    return round(LEFT + (index + 0.5) * PLOT_W / count, 1)


def _y(score: float) -> float:
    return round(TOP + PLOT_H * (1 - score / 10), 1)


def _svg(rows: list[Row], baseline: int, prefix: str, title: str, summary: str) -> str:
    ids = f"{prefix}-title {prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pain-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(ids)}" focusable="false" font-size="13">',
        f'<title id="{escape(prefix)}-title">{escape(title)}</title>',
        f'<desc id="{escape(prefix)}-desc">{escape(summary)}</desc>',
        *_axes(),
        *_baseline(baseline),
        *_lines(rows),
        *(_marker(row, i, len(rows)) for i, row in enumerate(rows)),
        *_x_labels(rows),
        *_legend(),
        "</svg>",
    ]
    return "".join(parts)


def _axes() -> list[str]:
    pain = escape(_("Pain"))
    out = [f'<text x="{LEFT - 32}" y="{TOP - 10}" fill="{INK}">{pain}</text>']
    for score in range(0, 11, 2):
        y = _y(score)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{score}</text>')
    bottom = _y(0)
    out.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="{MUTED}" stroke-width="1"/>')
    return out


def _baseline(baseline: int) -> list[str]:
    y = _y(baseline)
    label = escape(_("baseline %(score)s") % {"score": baseline})
    return [
        f'<line class="pain-chart__baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="8 4"/>',
        f'<text x="{WIDTH - RIGHT - 2}" y="{y - 5 if baseline < 9 else y + 15}" text-anchor="end" '
        f'fill="{MUTED}">{label}</text>',
    ]


def _lines(rows: list[Row]) -> list[str]:
    out = []
    for key, source in SOURCES.items():
        coords = [(_x(i, len(rows)), _y(r.score)) for i, r in enumerate(rows) if r.source == key]
        if len(coords) < 2:
            continue
        path = " ".join(f"{x},{y}" for x, y in coords)
        dash = f' stroke-dasharray="{source.dash}"' if source.dash else ""
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{source.colour}" stroke-width="2"{dash} '
            f'class="pain-chart__line pain-chart__line--{key}"/>'
        )
    return out


def _shape(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return (
            f'<rect x="{x - 5}" y="{y - 5}" width="10" height="10" fill="#fff" stroke="{colour}" stroke-width="2.5"/>'
        )
    if kind == "triangle":
        return f'<polygon points="{x},{y - 6.5} {x + 6.5},{y + 5} {x - 6.5},{y + 5}" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="5.5" fill="{colour}"/>'


def _marker(row: Row, index: int, count: int) -> str:
    source = SOURCES.get(row.source, SOURCES["before"])
    x, y = _x(index, count), _y(row.score)
    values = {"day": row.day, "source": row.source_label.lower(), "score": row.score, "change": row.change_words}
    if row.meaningful:
        tip = _("%(day)s, %(source)s: %(score)s; %(change)s (meaningful change)") % values
    else:
        tip = _("%(day)s, %(source)s: %(score)s; %(change)s") % values
    ring = f'<circle cx="{x}" cy="{y}" r="10.5" fill="none" stroke="{INK}" stroke-width="2"/>' if row.meaningful else ""
    css = "pain-chart__point" + (" pain-chart__point--meaningful" if row.meaningful else "")
    return f'<g class="{css}"><title>{escape(tip)}</title>{ring}{_shape(source.marker, x, y, source.colour)}</g>'


def _x_labels(rows: Sequence[Row]) -> list[str]:
    firsts = [i for i, r in enumerate(rows) if i == 0 or r.day != rows[i - 1].day]
    step = max(1, -(-len(firsts) // MAX_X_LABELS))
    chosen = firsts[::step]
    y = _y(0) + 18
    out = []
    for i in chosen:
        label = rows[i].short_day
        out.append(f'<text x="{_x(i, len(rows))}" y="{y}" text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    return out


def _legend() -> list[str]:
    out = []
    y = HEIGHT - 34
    x = LEFT - 28
    for source in SOURCES.values():
        out.append(_shape(source.marker, x + 6, y - 4, source.colour))
        out.append(f'<text x="{x + 16}" y="{y}" fill="{INK}">{escape(str(source.label))}</text>')
        x += 150
    y += 24
    out.append(f'<circle cx="{LEFT - 22}" cy="{y - 4}" r="8" fill="none" stroke="{INK}" stroke-width="2"/>')
    ring = _("Ring: meaningful change from baseline (2 points or 30%)")
    out.append(f'<text x="{LEFT - 6}" y="{y}" fill="{INK}">{escape(ring)}</text>')
    return out
