"""How well the waitlist fills freed time in a period: the times freed, how many the waitlist
filled, the fill rate and the median time to fill (filled_at - freed_at), overall and by cause.
Two queries whatever the period: the counts grouped in SQL, and the fill durations (computed
in SQL) for the median, which the pure `percentile` below takes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from booking.models import Clinic
from waitlist.models import FreedSlot


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0 to 100) by linear interpolation between closest ranks, as
    PostgreSQL's percentile_cont; None for no values."""
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


@dataclass(frozen=True)
class Line:
    cause: str
    label: str
    freed: int
    filled: int
    median_minutes: float | None

    @property
    def fill_rate(self) -> float | None:
        return self.filled / self.freed if self.freed else None

    @property
    def shown_rate(self) -> float | None:
        """The rate to one decimal place of a percentage: 2 of 3 reads 66.7%, not 66.666...%."""
        rate = self.fill_rate
        return round(rate, 3) if rate is not None else None


@dataclass(frozen=True)
class Stats:
    total: Line
    by_cause: list[Line]


def fill_stats(clinics: Sequence[Clinic], *, start: datetime, end: datetime) -> Stats:
    """Freed times with freed_at in [start, end) at these clinics."""
    freed = FreedSlot.objects.filter(clinic__in=[c.pk for c in clinics], freed_at__gte=start, freed_at__lt=end)
    counts = {
        row["cause"]: (row["freed"], row["filled"])
        for row in freed.values("cause").annotate(
            freed=Count("pk"), filled=Count("pk", filter=Q(outcome=FreedSlot.Outcome.FILLED))
        )
    }
    took = ExpressionWrapper(F("filled_at") - F("freed_at"), output_field=DurationField())
    minutes: dict[str, list[float]] = defaultdict(list)
    for cause, duration in (
        freed.filter(outcome=FreedSlot.Outcome.FILLED, filled_at__isnull=False)
        .annotate(took=took)
        .values_list("cause", "took")
    ):
        minutes[cause].append(max(duration, timedelta()).total_seconds() / 60)
    labels = dict(FreedSlot.Cause.choices)
    by_cause = [
        Line(cause, str(labels.get(cause, cause)), n_freed, n_filled, median(minutes[cause]))
        for cause, (n_freed, n_filled) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    ]
    every = [m for values in minutes.values() for m in values]
    total = Line("", "", sum(line.freed for line in by_cause), sum(line.filled for line in by_cause), median(every))
    return Stats(total, by_cause)
