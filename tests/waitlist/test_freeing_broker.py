"""After commit, a freed time publishes waitlist.fill_slot to the real broker (Redis)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import redis
import time_machine
from django.test import override_settings

from accounts.models import User
from tests.accounts.factories import make_staff
from tests.resources import need_redis
from tests.workspace.factories import MONDAY, NOW, make_desk
from waitlist.models import FreedSlot
from waitlist.services.freeing import record_freed
from waitlist.tasks import fill_slot

pytestmark = pytest.mark.django_db


def test_the_fill_task_is_published_after_commit_with_the_slot_id(django_capture_on_commit_callbacks: Any) -> None:
    url = need_redis()  # the settings' broker is REDIS_URL when it is set
    queue = fill_slot.app.conf.task_default_queue or "celery"
    client = redis.Redis.from_url(url)
    client.delete(queue)
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN))
    wednesday = MONDAY + timedelta(days=2)
    with time_machine.travel(NOW, tick=False), override_settings(WAITLIST_FILL=True):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            slot = record_freed(
                practitioner=desk.alex,
                start=desk.at("10:00", wednesday),
                end=desk.at("11:00", wednesday),
                cause=FreedSlot.Cause.CANCELLED,
            )
        assert client.llen(queue) == 0  # nothing before the commit
        for callback in callbacks:
            callback()
    messages = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
    client.delete(queue)
    assert slot is not None
    assert [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages] == [
        ("waitlist.fill_slot", f"({slot.pk},)")
    ]
