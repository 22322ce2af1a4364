from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consent import selectors
from consent.models import SignedConsent


class Command(BaseCommand):
    help = (
        "Recompute every signed consent's hash and the chain, and check its end against the chain head; "
        "exit non-zero naming the first altered, unlinked or missing row."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = selectors.verify_chain()
        total = SignedConsent.objects.count()
        if broken is not None:
            where = (
                f"Signed consent id={broken.consent_id} (chain position {broken.sequence})"
                if broken.consent_id
                else "The start of the chain"
            )
            raise CommandError(f"{where}: {broken.problem}.")
        self.stdout.write(self.style.SUCCESS(f"All {total} signed consents verified: every hash and link holds."))
