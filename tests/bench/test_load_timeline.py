"""bench.load's timeline: per 10 s of a phase, its rate, its share of holds and its p95, so a mix
that drifts through a phase (the calendar filling up) shows in the figures."""

from __future__ import annotations

from bench.load.patients import Sample
from bench.load.report import timeline


def sample(endpoint: str, seconds: float, at: float) -> Sample:
    return Sample(endpoint, 200, "", seconds, at)


def test_each_ten_seconds_has_its_own_rate_share_of_holds_and_p95() -> None:
    early = [sample("POST appointments", 0.2, 1.0 + n / 10) for n in range(10)]
    early += [sample("GET slots", 0.1, 2.0 + n / 10) for n in range(30)]
    late = [sample("GET slots", 0.05, 15.0 + n / 100) for n in range(60)]
    found = timeline(early + late)
    assert found == [
        {"from_second": 0, "per_second": 4.0, "holds_percent": 25.0, "p95_ms": 200.0},
        # the phase ended 5.59 s into this step: 60 requests in 5.59 s
        {"from_second": 10, "per_second": 10.7, "holds_percent": 0.0, "p95_ms": 50.0},
    ]


def test_a_second_with_no_request_leaves_no_empty_row() -> None:
    assert timeline([sample("GET slots", 0.1, 0.5), sample("GET slots", 0.1, 25.0)]) == [
        {"from_second": 0, "per_second": 0.1, "holds_percent": 0.0, "p95_ms": 100.0},
        {"from_second": 20, "per_second": 0.2, "holds_percent": 0.0, "p95_ms": 100.0},
    ]
