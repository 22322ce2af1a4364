"""The harness every race test shares: each call in its own thread with its own database
connection, all released at once by a barrier, and what each got back (a result or the
exception it raised). A thread still running at the end fails the test: a deadlock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def race(calls: list[Callable[[], T]], *, wait: float = 30, join: float = 120) -> list[T | BaseException]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[T | BaseException | None] = [None] * len(calls)

    def run(i: int, call: Callable[[], T]) -> None:
        try:
            connection.ensure_connection()  # connect first, so that only the calls race
            barrier.wait(timeout=wait)
            outcomes[i] = call()
        except BaseException as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung (deadlock?)"
    assert all(outcome is not None for outcome in outcomes)
    return [outcome for outcome in outcomes if outcome is not None]
