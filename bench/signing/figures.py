"""Pure helpers of the signing bench: who signs where, and what a round's reports add up to.
No Django here, so tests can import it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.common import percentile


@dataclass(frozen=True)
class Task:
    """One signature to make: the held visit, its patient and their screening for it."""

    appointment_id: int
    patient_id: int
    screening_id: int


def assign_clinics(signers: int, clinics: int) -> list[int]:
    """The clinic index of each signer, round robin: 20 signers over 10 clinics gives two per
    clinic; over 1 clinic, all of them in clinic 0."""
    if signers < 1 or clinics < 1:
        raise ValueError("signers and clinics must be at least 1")
    return [n % clinics for n in range(signers)]


def tasks_per_clinic(assignment: Sequence[int], per_signer: int) -> dict[int, int]:
    """How many held visits each clinic needs for one round (each task a different patient)."""
    needed: dict[int, int] = {}
    for clinic in assignment:
        needed[clinic] = needed.get(clinic, 0) + per_signer
    return needed


def latency_ms(seconds: Iterable[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max in milliseconds; empty when nothing was timed."""
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return {}
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 0.50), 1),
        "p95": round(percentile(ms, 0.95), 1),
        "p99": round(percentile(ms, 0.99), 1),
        "max": round(ms[-1], 1),
    }


def summarise(reports: Sequence[Mapping[str, Any]], *, wall_seconds: float) -> dict[str, Any]:
    """A round from its signers' reports: each holds `latencies`, `lock_waits` and `lock_held`
    (seconds, one per signature signed) and `failures` (error names)."""
    latencies = [x for r in reports for x in r["latencies"]]
    waits = [x for r in reports for x in r["lock_waits"]]
    held = [x for r in reports for x in r["lock_held"]]
    failures = [f for r in reports for f in r["failures"]]
    signed = len(latencies)
    busy = sum(latencies)
    cpu = sum(r.get("cpu_seconds", 0.0) for r in reports)
    db_cpu = sum(r.get("db_cpu_seconds", 0.0) for r in reports)
    return {
        "signers": len(reports),
        "signed": signed,
        "failed": len(failures),
        "failures": sorted(set(failures)),
        "wall_seconds": round(wall_seconds, 2),
        "per_second": round(signed / wall_seconds, 1) if wall_seconds > 0 else 0.0,
        "latency_ms": latency_ms(latencies),
        "chain_lock_wait_ms": latency_ms(waits),
        "chain_lock_held_ms": latency_ms(held),
        # The share of the signers' time spent queueing for their clinic's chain head.
        "chain_lock_wait_share": round(sum(waits) / busy, 3) if busy else 0.0,
        # CPU per signature: the signers' own (Python), and their PostgreSQL backends'.
        "signer_cpu_ms_per_signature": round(1000 * cpu / signed, 1) if signed else 0.0,
        "db_cpu_ms_per_signature": round(1000 * db_cpu / signed, 1) if signed else 0.0,
    }


def table(rounds: Sequence[Mapping[str, Any]]) -> str:
    """A plain-text table of the rounds, one line each."""
    head = (
        f"{'configuration':<28} {'signed':>6} {'wall s':>7} {'sig/s':>6} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'lock wait p95':>13} {'wait share':>10} {'pg lock waiters':>15}"
    )
    lines = [head]
    for r in rounds:
        lat, wait = r["latency_ms"], r["chain_lock_wait_ms"]
        lines.append(
            f"{r['label']:<28} {r['signed']:>6} {r['wall_seconds']:>7} {r['per_second']:>6} "
            f"{lat.get('p50', 0):>7} {lat.get('p95', 0):>7} {lat.get('p99', 0):>7} "
            f"{wait.get('p95', 0):>13} {r['chain_lock_wait_share']:>10.1%} "
            f"{r.get('pg_lock_waiters_mean', 0):>15}"
        )
    return "\n".join(lines)
