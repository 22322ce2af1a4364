from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consent import services
from consent.models import ChainVerification


class Command(BaseCommand):
    help = (
        "Recompute every signed consent's hash and the chain, and check its end against the chain head; "
        "exit non-zero naming the first altered, unlinked or missing row."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Recorded like the page's and the weekly job's runs, so the audit pages show it too.
        run = services.record_chain_check(trigger=ChainVerification.Trigger.COMMAND)
        if not run.ok:
            where = (
                f"Signed consent id={run.broken_consent_id} (chain position {run.broken_sequence})"
                if run.broken_consent_id
                else "The start of the chain"
            )
            raise CommandError(f"{where}: {run.problem}.")
        self.stdout.write(self.style.SUCCESS(f"All {run.checked} signed consents verified: every hash and link holds."))
