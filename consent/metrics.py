"""The consent chains' integrity check at scrape time (core.metrics.scrape), and label values.

The latest recorded run (ChainVerification, written weekly by beat, from the integrity page
and by `manage.py verify_consent_chain`): 1 when it found every chain whole, 0 when it found a
break, and when it finished, so an alert can also fire when no check has run for too long.
No series before the first run. One query (the newest row)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from consent.models import ChainVerification, Outcome, SignedConsent
from core import metrics


class IntegrityCollector:
    def collect(self) -> Iterator[Metric]:
        latest = ChainVerification.objects.order_by("-finished_at", "-id").values_list("ok", "finished_at").first()
        if latest is None:
            return
        ok, finished_at = latest
        yield GaugeMetricFamily(
            "acus_consent_integrity_ok", "Whether the latest integrity check found every chain whole", value=int(ok)
        )
        yield GaugeMetricFamily(
            "acus_consent_integrity_checked_timestamp_seconds",
            "When the latest integrity check finished (Unix time)",
            value=finished_at.timestamp(),
        )


def register() -> None:
    metrics.register("consent_integrity", IntegrityCollector())
    for outcome in Outcome.values:
        metrics.SCREENINGS.labels(outcome=outcome)
    for role in SignedConsent.SignerRole.values:
        metrics.SIGNATURES.labels(signer=role)
