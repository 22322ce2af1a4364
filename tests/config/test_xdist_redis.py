"""Each pytest-xdist worker gets its own Redis database, as it gets its own test database."""

from __future__ import annotations

import pytest

from config.xdist import own_redis_database


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/0"),
        ("redis://127.0.0.1:6379/0", "gw1", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/10", "gw3", "redis://127.0.0.1:6379/13"),
        ("redis://127.0.0.1:6379", "gw2", "redis://127.0.0.1:6379/2"),
        ("redis://:secret@cache:6380/4?ssl_cert_reqs=none", "gw1", "redis://:secret@cache:6380/5?ssl_cert_reqs=none"),
    ],
)
def test_a_worker_moves_the_database_number_up_by_its_index(url: str, worker: str, expected: str) -> None:
    assert own_redis_database(url, worker) == expected


def test_a_worker_past_redis_sixteen_databases_is_refused_with_the_reason() -> None:
    with pytest.raises(RuntimeError, match="Redis database 16: run fewer workers"):
        own_redis_database("redis://127.0.0.1:6379/14", "gw2")
