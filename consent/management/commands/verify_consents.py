from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consent import verification
from consent.models import ChainVerification


class Command(BaseCommand):
    help = (
        "Recompute every signed consent's hash and the chain, and check its end against the chain head; "
        "exit non-zero naming the first altered, unlinked or missing row."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Recorded like the page's and the weekly job's runs, so the audit pages show it too.
        report = verification.check_chains(trigger=ChainVerification.Trigger.COMMAND)
        run = report.run
        if report.anchor_key_is_dev:
            self.stderr.write("ANCHOR_KEY is not set: checkpoints are signed with the development key (DEBUG only).")
        schemes = ", ".join(f"scheme {s}: {n}" for s, n in sorted(report.schemes.items())) or "none signed"
        self.stdout.write(f"Signed consents by chain scheme: {schemes}.")
        for verdict in report.verdicts:
            self.stdout.write(f"  {_chain_name(verdict.key)}: {verdict.checked} walked")
        for broken in report.breaks:
            self.stderr.write(f"Broken {verification.where(broken)}: {broken.problem}.")
        if not run.ok:
            where = (
                f"Signed consent id={run.broken_consent_id} (chain position {run.broken_sequence})"
                if run.broken_consent_id
                else "The start of the chain"
            )
            raise CommandError(f"{where}: {run.problem}.")
        self.stdout.write(self.style.SUCCESS(f"All {run.checked} signed consents verified: every hash and link holds."))


def _chain_name(key: str) -> str:
    return f"clinic {key}" if key else "every clinic (scheme 1)"
