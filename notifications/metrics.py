"""The outbox's figures at scrape time (core.metrics.scrape), and its label values.

Outbox lag is how long the oldest due message has waited for a worker: now minus the
`next_attempt_at` of the oldest pending row that is due, or of the oldest `sending` row whose
lease ran out (its worker died). 0 when nothing is waiting. Each is one read of an index
(notification_due, notification_lease: status, then time), so a scrape costs two short
queries however large the outbox grows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from core import metrics
from notifications.kinds import Channel
from notifications.models import Notification

Status = Notification.Status


def oldest_due(now: datetime) -> datetime | None:
    pending = (
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    orphaned = (
        Notification.objects.filter(status=Status.SENDING, leased_until__lte=now)
        .order_by("leased_until")
        .values_list("leased_until", flat=True)
        .first()
    )
    return min((when for when in (pending, orphaned) if when is not None), default=None)


class OutboxCollector:
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        oldest = oldest_due(now)
        lag = (now - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "acus_outbox_lag_seconds", "Age of the oldest due message not yet sent (0: none waiting)", value=lag
        )


def register() -> None:
    metrics.register("notifications_outbox", OutboxCollector())
    # Every channel's series exists from the start, so rate() and the alerts see a 0, not nothing.
    for channel in Channel.values:
        for family in (metrics.MESSAGES_SENT, metrics.MESSAGES_FAILED, metrics.SEND_ERRORS):
            family.labels(channel=channel)
