from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consent import selectors
from consent.models import SignedConsent


class Command(BaseCommand):
    help = "Recompute every signed consent's hash and the chain; exit non-zero naming the first altered row."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = selectors.verify_chain()
        total = SignedConsent.objects.count()
        if broken is not None:
            raise CommandError(
                f"Signed consent id={broken.consent_id} (chain position {broken.sequence}): {broken.problem}."
            )
        self.stdout.write(self.style.SUCCESS(f"All {total} signed consents verified: every hash and link holds."))
