"""One counter that moves whenever anything the public catalogue is made of changes.

The catalogue lists (treatments, practitioners) are read on every patient visit and change
only when a clinic edits them. Database triggers (migration 0013,
booking/catalogue_triggers.py) bump this counter in the transaction of every change to
clinics, treatments, practitioners and the links between them, so booking/catalogue_cache.py
can keep the lists in memory exactly while this number holds."""

from __future__ import annotations

from django.db import models

ROW = 1  # the one row


class CatalogueVersion(models.Model):
    id = models.SmallIntegerField(primary_key=True, default=ROW)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"catalogue@{self.version}"
