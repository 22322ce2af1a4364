"""What the send-time re-check decides about a row (notifications/dispatch.py for visits,
notifications/course_checks.py for course messages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F


@dataclass(frozen=True)
class Verdict:
    """Why a row is not sent now: its new status, and when to try again if it waits
    (quiet hours, a review): waiting is not a try."""

    status: str
    reason: str
    wait_until: datetime | None = None

    def changes(self) -> dict[str, object]:
        if self.wait_until is None:
            return {"last_error": self.reason}
        return {"next_attempt_at": self.wait_until, "attempts": F("attempts") - 1}
