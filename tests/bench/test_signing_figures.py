"""bench.signing's pure figures: who signs where, how many visits a round makes, what a round adds up to.
The bench itself is run by hand (bench/README.md), never as a timed test."""

from __future__ import annotations

import pytest

from bench.signing import figures


def report(latencies: list[float], waits: list[float], failures: list[str] | None = None) -> dict[str, object]:
    held = [0.01] * len(latencies)
    return {"latencies": latencies, "lock_waits": waits, "lock_held": held, "failures": failures or []}


def test_twenty_signers_over_ten_clinics_are_two_a_clinic() -> None:
    assignment = figures.assign_clinics(20, 10)

    assert sorted(assignment.count(clinic) for clinic in range(10)) == [2] * 10


def test_twenty_signers_in_one_clinic_all_sign_there() -> None:
    assert figures.assign_clinics(20, 1) == [0] * 20


def test_it_refuses_no_signers() -> None:
    with pytest.raises(ValueError):
        figures.assign_clinics(0, 10)


def test_a_round_makes_one_visit_per_signature_in_each_signers_clinic() -> None:
    assert figures.tasks_per_clinic([0, 1, 0], 5) == {0: 10, 1: 5}


def test_the_summary_counts_what_was_signed_and_the_share_spent_waiting_for_the_chain() -> None:
    reports = [report([0.1, 0.3], [0.0, 0.2]), report([0.2], [0.1], failures=["HoldExpired: ran out"])]

    summary = figures.summarise(reports, wall_seconds=0.5)

    assert (summary["signed"], summary["failed"], summary["per_second"]) == (3, 1, 6.0)
    assert summary["latency_ms"]["p50"] == 200.0
    assert summary["latency_ms"]["max"] == 300.0
    assert summary["chain_lock_wait_share"] == 0.5
    assert summary["failures"] == ["HoldExpired: ran out"]


def test_the_signers_cpu_is_shared_over_the_signatures_they_made() -> None:
    reports = [{**report([0.1, 0.1], [0.0, 0.0]), "cpu_seconds": 0.06}, {**report([0.1], [0.0]), "cpu_seconds": 0.03}]

    assert figures.summarise(reports, wall_seconds=1.0)["signer_cpu_ms_per_signature"] == 30.0


def test_a_round_with_nothing_signed_has_no_latency_and_no_rate() -> None:
    summary = figures.summarise([report([], [])], wall_seconds=0.0)

    assert (summary["signed"], summary["per_second"], summary["latency_ms"]) == (0, 0.0, {})


def test_the_table_has_a_line_per_round() -> None:
    rounds = [{**figures.summarise([report([0.1], [0.0])], wall_seconds=1.0), "label": "20 signers in 10 clinics"}]

    lines = figures.table(rounds).splitlines()

    assert len(lines) == 2
    assert lines[1].startswith("20 signers in 10 clinics")
