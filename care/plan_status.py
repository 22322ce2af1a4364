"""Which status a plan of care may move to from the one it has: a pure rule, no database.

proposed -> active or stopped; active -> on hold, completed or stopped; on hold -> active or
stopped. Completed and stopped are final."""

from __future__ import annotations

from care.models import PlanStatus

ALLOWED: dict[str, frozenset[str]] = {
    PlanStatus.PROPOSED: frozenset({PlanStatus.ACTIVE, PlanStatus.STOPPED}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.ON_HOLD, PlanStatus.COMPLETED, PlanStatus.STOPPED}),
    PlanStatus.ON_HOLD: frozenset({PlanStatus.ACTIVE, PlanStatus.STOPPED}),
    PlanStatus.COMPLETED: frozenset(),
    PlanStatus.STOPPED: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, frozenset())


def is_final(status: str) -> bool:
    return not ALLOWED.get(status)
