"""Summaries of the samples: per endpoint, the table printed at the end, and the side-by-side comparison."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bench.common import percentile
from bench.load.patients import Sample


def endpoint_summary(samples: list[Sample], wall: float) -> dict[str, Any]:
    ms = [s.seconds * 1000 for s in samples]
    counts = Counter(f"{s.status} {s.code}".strip() for s in samples)
    answered = [s.seconds * 1000 for s in samples if s.status not in (0, 429)]
    out: dict[str, Any] = {
        "requests": len(samples),
        "per_second": round(len(samples) / wall, 1) if wall else 0.0,
        "statuses": dict(sorted(counts.items())),
        "throttled_429": sum(1 for s in samples if s.status == 429),
        "server_errors_5xx": sum(1 for s in samples if s.status >= 500),
        "no_answer": sum(1 for s in samples if s.status == 0),
    }
    if ms:
        out["latency_ms"] = {
            "p50": round(percentile(ms, 0.50), 1),
            "p95": round(percentile(ms, 0.95), 1),
            "p99": round(percentile(ms, 0.99), 1),
            "max": round(max(ms), 1),
        }
    if answered and len(answered) != len(ms):
        out["latency_ms_without_429"] = {
            "p50": round(percentile(answered, 0.50), 1),
            "p95": round(percentile(answered, 0.95), 1),
            "p99": round(percentile(answered, 0.99), 1),
        }
    return out


def timeline(samples: list[Sample], step: float = 10.0) -> list[dict[str, Any]]:
    """Per `step` seconds of the phase (ramp included): requests a second, the share of them
    that were holds and the p95. A mix that drifts through a phase shows here. The last step
    is as long as the phase ran into it (the tail of requests still in flight)."""
    buckets: dict[int, list[Sample]] = {}
    for sample in samples:
        buckets.setdefault(int(sample.at // step), []).append(sample)
    end = max((sample.at for sample in samples), default=0.0)
    return [
        {
            "from_second": int(n * step),
            "per_second": round(len(got) / max(min(step, end - n * step), 1e-3), 1),
            "holds_percent": round(100 * sum(1 for s in got if s.endpoint == "POST appointments") / len(got), 1),
            "p95_ms": round(percentile([s.seconds * 1000 for s in got], 0.95), 1),
        }
        for n, got in sorted(buckets.items())
    ]


def print_table(load: dict[str, Any]) -> None:
    head = f"{'endpoint':<22} {'n':>6} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'429':>5} {'5xx':>4}"
    print(head)
    print("-" * len(head))
    rows = [*load["endpoints"].items(), ("ALL", {**load, "per_second": load["requests_per_second"]})]
    for name, row in rows:
        lat = row.get("latency_ms") or row.get("latency_ms_all") or {}
        print(
            f"{name:<22} {row['requests']:>6} {row['per_second']:>6} {lat.get('p50', '-'):>8} "
            f"{lat.get('p95', '-'):>8} {lat.get('p99', '-'):>8} {row['throttled_429']:>5} {row['server_errors_5xx']:>4}"
        )
    print()
    for name, row in load["endpoints"].items():
        print(f"{name:<22} {json.dumps(row['statuses'])}")
    print()
    print(
        f"total {load['requests']} requests in {load['wall_seconds']} s = {load['requests_per_second']} req/s "
        f"({load['requests_per_second_without_429']} without 429s); 429s {load['throttled_429']}, "
        f"5xx {load['server_errors_5xx']}, no answer {load['no_answer']}"
    )
    print(
        "every 10 s: "
        + ", ".join(f"{t['per_second']:.0f}/s {t['holds_percent']:.1f} % holds" for t in load["timeline"])
    )
    if load.get("ramp_seconds"):
        whole = load["ramp_and_counted"]
        print(
            f"with the {load['ramp_seconds']:.0f} s ramp before it: {whole['requests']} requests, "
            f"5xx {whole['server_errors_5xx']}, no answer {whole['no_answer']}, p95 {whole['latency_ms'].get('p95')} ms"
        )
    print(
        f"holds: {load['holds_created']} 201s, {load['new_holds_in_database']} new holds in the database; "
        f"overlaps among live: {load['overlaps_among_live']}; cpu: {load['cpu']}"
    )


def _ramp_p95(phase: dict[str, Any]) -> float | None:
    """The phase's p95 with its uncounted ramp included (None without a ramp)."""
    if not phase.get("ramp_seconds"):
        return None
    return phase["ramp_and_counted"].get("latency_ms", {}).get("p95")


def _side(phases: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    """One side's phases added up: throughput over their summed walls, p95s per phase, CPU per request."""
    mine = [p for p in phases if p["label"].startswith(prefix)]
    requests = sum(p["requests"] for p in mine)
    wall = sum(p["wall_seconds"] for p in mine)
    cpu = sum(p["cpu"]["gunicorn_seconds"] for p in mine)
    return {
        "phases": [p["label"] for p in mine],
        "requests": requests,
        "requests_per_second": round(requests / wall, 1) if wall else 0.0,
        "p95_ms_per_phase": [p["latency_ms_all"].get("p95") for p in mine],
        "p95_ms_with_ramp_per_phase": [_ramp_p95(p) for p in mine],
        "p95_ms_worst": max((p["latency_ms_all"].get("p95", 0.0) for p in mine), default=0.0),
        "gunicorn_cpu_ms_per_request": round(1000 * cpu / requests, 2) if requests else 0.0,
        "server_errors_5xx": sum(p["server_errors_5xx"] for p in mine),
        "no_answer": sum(p["no_answer"] for p in mine),
        "throttled_429": sum(p["throttled_429"] for p in mine),
        "overlaps": sum(sum(p["overlaps_among_live"].values()) for p in mine),
        "verdicts": [p["verdict"] for p in mine],
    }


def print_comparison(phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Baseline against head, each over all its rounds; the ratio of their throughputs."""
    base, head = _side(phases, "baseline"), _side(phases, "head")
    ratio = round(head["requests_per_second"] / base["requests_per_second"], 2) if base["requests_per_second"] else 0.0
    print()
    head_row = f"{'side':<9} {'requests':>9} {'req/s':>7} {'p95 ms per phase':>22} {'cpu ms/req':>10}"
    print(f"{head_row} {'5xx':>4} {'overlaps':>8}")
    for name, side in (("baseline", base), ("head", head)):
        p95 = " / ".join(str(v) for v in side["p95_ms_per_phase"])
        print(
            f"{name:<9} {side['requests']:>9} {side['requests_per_second']:>7} {p95:>22} "
            f"{side['gunicorn_cpu_ms_per_request']:>10} {side['server_errors_5xx']:>4} {side['overlaps']:>8}"
        )
    if any(v is not None for v in head["p95_ms_with_ramp_per_phase"]):
        for name, side in (("baseline", base), ("head", head)):
            with_ramp = " / ".join(str(v) for v in side["p95_ms_with_ramp_per_phase"])
            print(f"{name} p95 ms per phase with its ramp: {with_ramp}")
    print(f"head / baseline throughput: {ratio} x")
    return {"baseline": base, "head": head, "throughput_ratio": ratio}


def print_profile(summary: dict[str, Any], top: int = 30) -> None:
    """bench.load --spy: the frames with the largest inclusive and self shares of CPU samples."""
    print(f"\npy-spy: {summary['samples']} CPU samples of the gunicorn workers")
    for title in ("inclusive_percent", "self_percent"):
        print(f"-- {title.replace('_', ' ')}")
        for name, share in list(summary[title].items())[:top]:
            print(f"{share:>6.1f}  {name}")
