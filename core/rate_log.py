"""A rate limit's request log kept in Redis and counted there, in one atomic step.

DRF's SimpleRateThrottle keeps each bucket's log (the times of its recent requests) as one
pickled list: it reads the list, drops what left the window, decides, and writes the list
back. That is two round trips to Redis and a pickle each way on every slot list and hold, and
two web processes that read the same list at once both count against it and one count is
lost. Here the log is a Redis sorted set (member: a unique name, score: the time) and one Lua
script does DRF's steps on the server: drop the times at or before `now - window`, refuse if
`limit` remain, else add `now` and keep the set for one window. The decision is DRF's
(tests/core/test_rate_log.py runs both side by side); it is made in one round trip, and no
request is ever left uncounted.
"""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple, cast

from redis.commands.core import Script

# Version 1 of the same key held DRF's pickled list. A sorted set under the same name would
# meet a list still alive (for up to an hour) while old and new web processes run side by side.
KEY_VERSION = 2

_COUNT = Script(
    cast(Any, None),  # not bound to one client: every call names its own
    b"""
-- KEYS[1]: the bucket. ARGV: now, now - window, limit, a name for this request, window in ms.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {allowed, count, oldest[2] or false}
""",
)


class Counted(NamedTuple):
    allowed: bool
    requests: int  # in the window, this one included if allowed
    oldest: float | None  # the time of the oldest of them


def count(backend: Any, key: str, now: float, window: int, limit: int) -> Counted:
    """Count a request at `now` in bucket `key` of Django's Redis cache `backend`.

    Raises what redis-py raises when Redis cannot be reached (the caller decides)."""
    client = backend._cache.get_client(key, write=True)
    name = backend.make_key(key, version=KEY_VERSION)
    member = f"{now!r}:{uuid.uuid4().hex}"  # two requests in the same instant are two entries
    # Times travel as Python writes them: Lua would print a computed cutoff to 14 digits only.
    args: list[str | int] = [repr(now), repr(now - window), limit, member, window * 1000]
    allowed, counted, oldest = _COUNT(keys=[name], args=args, client=client)
    return Counted(bool(allowed), int(counted), float(oldest) if oldest else None)
