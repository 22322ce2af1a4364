"""The public catalogue lists from memory while nothing in them changed.

Every patient visit reads the treatments and the practitioners of a clinic; they change
when a clinic edits them, a few times a week. This module keeps each answer (per list, query
and language) in the worker process's memory with the catalogue version it was built under
(booking.models.catalogue_version), and serves it while that version is still the current
one: one precompiled query instead of the lookups, the lists and their shaping.

Correct for the same reasons as booking/schedule_cache.py: the version is read before the
answer is built, and triggers move it in the transaction of every change, so an answer is
never kept under a version its rows did not have yet. Never used inside a transaction (its
own uncommitted edits could be stored under a version a rollback never makes true). Only
answers are kept, never refusals: a bad query is checked afresh each time. Bounded by
emptying the memory when it grows past _MAX_ENTRIES (query strings are the caller's to
choose).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection

from booking.models.catalogue_version import ROW, CatalogueVersion
from core.precompiled import Precompiled

_MAX_ENTRIES = 2_000
_VERSION = Precompiled(lambda: CatalogueVersion.objects.filter(pk=ROW).values_list("version"))

_answers: dict[Hashable, tuple[int, Any]] = {}


def clear() -> None:
    _answers.clear()


def current_version() -> int:
    rows = _VERSION()
    return int(rows[0][0]) if rows else 0  # no row yet: nothing was ever edited since migrating


def answer(key: Hashable, build: Callable[[], Any]) -> Any:
    """The answer stored under `key` if its version is still current, else `build()`'s
    (stored). What `build` raises is raised and nothing is stored. Callers must not change
    what they get: the same object is handed to every later request."""
    if connection.in_atomic_block:
        return build()
    version = current_version()
    stored = _answers.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    value = build()
    if len(_answers) >= _MAX_ENTRIES:
        clear()
    _answers[key] = (version, value)
    return value
