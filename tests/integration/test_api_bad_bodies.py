"""Every operation that takes a body refuses hostile ones over real HTTP, in the error shape.

Beside the schemathesis run (test_api_fuzz.py), which generates bodies that fit the
schema or nearly do, this sends three bodies no generator makes, to every POST, PUT and
PATCH in the served schema, on pytest-django's live server: a thousand nested arrays
(2 KB; Python's JSON parser recurses), fifty thousand (100 KB) and 3 MB of JSON (over
DATA_UPLOAD_MAX_MEMORY_SIZE). Each goes with the credentials the operation needs and a
real id in its path, so it reaches the body parser: 400 `too_deep` or 413 `too_large`,
JSON, never a 500 and never an HTML page."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
import requests

from tests.integration.world import World, build_world

BODIES = {
    "1000 nested arrays": ("[" * 1000 + "]" * 1000, 400, "too_deep"),
    "50000 nested arrays": ("[" * 50_000 + "]" * 50_000, 400, "too_deep"),
    "3 MB": ('{"notes": "' + "a" * 3_000_000 + '"}', 413, "too_large"),
}
WRITES = {"post", "put", "patch"}


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


def credentials(path: str, world: World) -> dict[str, str]:
    if path.startswith("/api/v1/auth/"):
        return {}
    if path.startswith("/api/v1/staff/"):
        csrf = secrets.token_hex(16)
        return {"Cookie": f"sessionid={world.staff_session}; csrftoken={csrf}", "X-CSRFToken": csrf}
    return {"Authorization": f"Token {world.alice.token}"}


def real_path(path: str, world: World) -> str:
    if path.startswith("/api/v1/consents/"):
        return path.replace("{id}", str(world.alice.consents[0].pk))
    if path.startswith("/api/v1/waitlist/"):
        return path.replace("{id}", str(world.alice.entries[0].pk))
    if "/care-plans/" in path:
        path = path.replace("{id}", str(world.alice.plans[0].pk))
    # Any other path parameter (a prescription's {pid}) gets a number too, so the URL resolves.
    return re.sub(r"\{\w+\}", str(world.alice.appointments[0].pk), path)


def write_operations(schema: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [
        (method, path, "requestBody" in operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITES
    ]


def test_every_write_operation_refuses_hostile_bodies_in_the_error_shape(world: World, live_server: Any) -> None:
    schema = requests.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=10).json()
    operations = write_operations(schema)
    assert sum(takes_body for _, _, takes_body in operations) > 10

    wrong = []
    for method, path, takes_body in operations:
        url = live_server.url + real_path(path, world)
        for name, (body, status, code) in BODIES.items():
            headers = {**credentials(path, world), "Content-Type": "application/json"}
            answer = requests.request(method, url, data=body.encode(), headers=headers, timeout=30)
            is_json = answer.headers.get("Content-Type") == "application/json"
            shape = answer.json() if is_json else {}
            fine = is_json and set(shape) == {"code", "detail", "fields"} and answer.status_code < 500
            if takes_body:
                # An operation that reads a body must get as far as reading it, and refuse it.
                fine = fine and (answer.status_code, shape.get("code")) == (status, code)
            if not fine:
                wrong.append(f"{method.upper()} {path} with {name}: {answer.status_code} {answer.text[:120]!r}")

    assert not wrong, "\n".join(wrong)
