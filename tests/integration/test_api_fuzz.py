"""Schemathesis fuzzes the whole API on a live server: every operation, every check.

The server is pytest-django's live server on the loopback interface, over a database
seeded like `manage.py seed_demo` plus two patients (alice and bob) who each hold a
needling visit with a signed consent, a visit without needling and a past visit. The
fuzzer signs in as alice, as bob, and as a clinic admin whose session passed TOTP;
`object_level_authorization` replays alice's reads as bob and fails if bob gets them.

Bounded: a fixed seed, 10 examples per operation and a 10 s timeout per request, so the
two runs take about 100 s on two cores. For a deeper run, e.g. before a release:
`ACUS_FUZZ_EXAMPLES=100 ACUS_FUZZ_SEED=7 .venv/bin/pytest tests/integration/test_api_fuzz.py`.
On failure the report names each failing case with a curl command to reproduce it
(`st replay` cannot: the server and its database go away with the test)."""

from __future__ import annotations

import json
import os
import re
import secrets
import string
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import timezone

from core.throttling import Throttle
from tests.integration.world import Holdings, World, build_world

ST = Path(sys.executable).with_name("st")
MAX_EXAMPLES = int(os.environ.get("ACUS_FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("ACUS_FUZZ_SEED", "1"))
REQUEST_TIMEOUT = 10  # seconds; a PDF or a busy slot search takes well under one
RUN_TIMEOUT = 300  # the whole fuzzing run, as a last resort

# Refusals the schema cannot express (an unknown id, a time that is not free, a rule across
# fields, an answer the published questionnaire does not accept) are 400 field errors by
# design: the operations named here may answer 400 to a request that fits the schema.
# Everything else about `positive_data_acceptance` stays as schemathesis has it.
SEMANTIC_400 = {
    "GET /api/v1/appointment-types": "an unknown clinic id is a 400 field error",
    "GET /api/v1/practitioners": "an unknown clinic or treatment id is a 400 field error",
    "GET /api/v1/slots": "unknown ids; end must follow start, at most 92 days later; "
    "reschedule must be the caller's own live appointment of that treatment",
    "GET /api/v1/consent/form": "an unknown clinic slug is a 400 field error",
    "GET /api/v1/consent/questionnaire": "an unknown clinic slug is a 400 field error",
    "POST /api/v1/auth/patient/verify": "a wrong code is a 400 on the code field",
    "PATCH /api/v1/me": "phone numbers are checked against numbering plans, zones against the tz database",
    "POST /api/v1/appointments": "the start must be a free slot of an active treatment",
    "POST /api/v1/appointments/{id}/reschedule": "the start must be a free slot",
    "POST /api/v1/screenings": "answers are checked against the published questionnaire",
    "POST /api/v1/consents": "unknown form or screening; acknowledgements must match the form",
    # The staff workspace's own rules (workspace/*):
    "GET /api/v1/staff/appointments": "end must follow start, at most 62 days later; unknown clinic",
    "POST /api/v1/staff/appointments/{id}/move": "the start must be a free slot",
    "PUT /api/v1/staff/appointments/{id}/note": "regions are required by the service, not the schema",
    # Plans of care (care/services/plans.py):
    "POST /api/v1/staff/care-plans": "unknown ids; the practitioner's clinic and treatment; PSFS needs 3-5 goals",
    "POST /api/v1/staff/care-plans/{id}/status": "the move must be one the plan's status allows",
    # Outcome scores and instruments (care/services/scores.py, care/services/instruments.py):
    "POST /api/v1/care-plans/{id}/scores": "a measure the plan tracks; every item in its range; a course visit",
    "POST /api/v1/staff/care-plans/{id}/scores": "a measure the plan tracks; every item in its range; a course visit",
    "POST /api/v1/staff/instruments": "the definition must fit the instrument format; a clinic you work at",
    "POST /api/v1/appointments/{id}/health-change": "a yes needs answers, checked against the published questionnaire",
    # The home exercise programme (care/services/exercises.py):
    "POST /api/v1/staff/exercises": "a clinic you work at; a real PNG, JPEG or WebP of at most 1 MB with its "
    "description; a name new to the clinic's library; translations in languages Acus speaks",
    "PATCH /api/v1/staff/exercises/{id}": "as for adding one: the picture, its description, the name, translations",
    "POST /api/v1/staff/care-plans/{id}/exercises": "an active exercise of the plan's clinic; no start in the past",
    "PUT /api/v1/care-plans/{id}/exercise-reminder": "turning the reminder on the first time needs a time",
    # Calendar sync (calendars/services/connections.py):
    "POST /api/v1/staff/calendars": "the address must answer as a calendar (CalDAV discovery with those credentials, "
    "or an ICS file) before anything is stored; a private or plain-http address is refused",
    "PATCH /api/v1/staff/calendars/{id}": "calendar_url must be one of the calendars the account's discovery lists",
    # The waitlist (waitlist/services/entries.py):
    "POST /api/v1/waitlist": "unknown ids; a bookable treatment the practitioner offers; a range from today of at "
    "most 90 days; each day and part once; sms needs a phone on record",
    "PATCH /api/v1/waitlist/{id}": "as for joining, on the entry with the changes applied",
}
DEFAULT_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


def _toml(value: Any) -> str:
    # JSON strings, numbers, booleans and arrays of them are valid TOML values.
    return json.dumps(value)


def _bind(dictionary: str, probability: float) -> str:
    return f'{{ dictionary = "{dictionary}", probability = {probability} }}'


def known_values(world: World) -> dict[str, list[Any]]:
    """Ids and values that exist, offered to the fuzzer so requests reach past the 404s and 400s."""
    demo, people = world.demo, (world.alice, world.bob)
    now = timezone.now()
    return {
        "appointments": [a.pk for who in people for a in who.appointments],
        "plans": [plan.pk for who in people for plan in who.plans],
        "entries": [entry.pk for who in people for entry in who.entries],
        "consents": [c.pk for who in people for c in who.consents],
        "screenings": [s.pk for who in people for s in who.screenings],
        "types": [demo.needling.pk, demo.plain.pk],
        "practitioners": [p.pk for p in demo.practitioners],
        "practitioner_texts": [*(str(p.pk) for p in demo.practitioners), "any"],
        "clinics": [demo.clinic.pk],
        "slugs": [demo.clinic.slug],
        "questionnaires": [demo.questionnaire.pk],
        "forms": [demo.form.pk],
        "starts": world.free_starts,
        "instants": [(now + timedelta(days=days)).isoformat() for days in (-2, 1, 20)],
    }


BINDINGS = {
    "query.appointment_type": ("types", 0.7),
    "query.start": ("instants", 0.7),
    "query.end": ("instants", 0.7),
    "query.appointment": ("appointments", 0.5),
    "body.appointment_type": ("types", 0.7),
    "body.practitioner": ("practitioners", 0.5),
    "body.start": ("starts", 0.7),
    "body.questionnaire_version": ("questionnaires", 0.7),
    "body.form_version": ("forms", 0.7),
    "body.screening": ("screenings", 0.7),
    "body.appointment": ("appointments", 0.7),
}


def write_config(directory: Path, world: World, *, name: str, identities: list[dict[str, Any]]) -> Path:
    (directory / f"{name}-auth.json").write_text(json.dumps({"auth": identities}))
    names = [identity["name"] for identity in identities]
    lines = [
        f"seed = {_toml(SEED)}",
        f"request-timeout = {_toml(REQUEST_TIMEOUT)}",
        f"workers = {_toml(1)}",
        # Every check, as `--checks all` would (which would also override the per-operation exceptions below).
        "[checks]",
        "enabled = true",
        "[generation]",
        f"max-examples = {_toml(MAX_EXAMPLES)}",
        # Text fields refuse NUL (PostgreSQL cannot store it) with a 400, which the schema does not say.
        "allow-x00 = false",
        "[auth.wfc]",
        f"path = {_toml(f'{name}-auth.json')}",
        # Users who must not see each other's objects: object_level_authorization replays reads across them.
        *([f"peers = {_toml(names)}"] if len(names) > 1 else []),
        "[parameters]",
        *(f"{_toml(key)} = {_bind(*binding)}" for key, binding in BINDINGS.items()),
    ]
    for dictionary, values in known_values(world).items():
        lines += [f"[dictionaries.{dictionary}]", f"values = {_toml(values)}"]
    lines += [
        "[[operations]]",
        r'include-path-regex = "/appointments/\\{id\\}"',
        f'parameters = {{ "path.id" = {_bind("appointments", 0.7)} }}',
        "[[operations]]",
        r'include-path-regex = "/care-plans/\\{id\\}"',
        f'parameters = {{ "path.id" = {_bind("plans", 0.7)} }}',
        "[[operations]]",
        r'include-path-regex = "/waitlist/\\{id\\}"',
        f'parameters = {{ "path.id" = {_bind("entries", 0.7)} }}',
        "[[operations]]",
        r'include-path-regex = "/consents/\\{id\\}"',
        f'parameters = {{ "path.id" = {_bind("consents", 0.7)} }}',
        "[[operations]]",
        'include-name = "GET /api/v1/slots"',
        f'parameters = {{ "query.practitioner" = {_bind("practitioner_texts", 0.5)}, '
        f'"query.reschedule" = {_bind("appointments", 0.5)} }}',
        "[[operations]]",
        'include-name = "GET /api/v1/staff/appointments"',
        f'parameters = {{ "query.practitioner" = {_bind("practitioners", 0.5)} }}',
        "[[operations]]",
        'include-path-regex = "/consent/"',
        f'parameters = {{ "query.clinic" = {_bind("slugs", 0.7)} }}',
        "[[operations]]",
        'exclude-path-regex = "/consent/"',
        f'parameters = {{ "query.clinic" = {_bind("clinics", 0.7)} }}',
    ]
    for operation in SEMANTIC_400:
        lines += [
            "[[operations]]",
            f"include-name = {_toml(operation)}",
            f"checks.positive_data_acceptance.expected-statuses = {_toml([*DEFAULT_ACCEPTED, '400'])}",
        ]
    config = directory / f"{name}.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


def fuzz(config: Path, schema_url: str, *paths: str) -> None:
    """One schemathesis run over the operations whose paths match `paths`; fails with its report."""
    run = subprocess.run(
        [
            str(ST),
            "--config-file",
            str(config),
            "run",
            schema_url,
            "--no-color",
            *paths,
        ],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert run.returncode == 0, f"schemathesis found failures:\n{run.stdout[-30000:]}\n{run.stderr[-3000:]}"


def token(name: str, holdings: Holdings) -> dict[str, Any]:
    return {
        "name": name,
        "fixedHeaders": [{"name": "Authorization", "value": f"Token {holdings.token}"}],
    }


def staff_session(world: World) -> dict[str, Any]:
    """A clinic admin's session that passed TOTP, with the CSRF pair a browser would send."""
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return {
        "name": "staff",
        "fixedHeaders": [
            {"name": "Cookie", "value": f"sessionid={world.staff_session}; csrftoken={csrf}"},
            {"name": "X-CSRFToken", "value": csrf},
        ],
    }


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


@pytest.fixture
def no_throttles(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates into a class attribute at import, so override_settings would not
    # reach them; a fuzzer would only see 429s after the first few sign-in attempts.
    fast = "1000000/second"
    monkeypatch.setattr(Throttle, "THROTTLE_RATES", {scope: fast for scope in Throttle.THROTTLE_RATES})


@pytest.mark.slow
def test_the_patient_api_survives_fuzzing_with_every_check(
    world: World, live_server: Any, no_throttles: None, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path, world, name="patients", identities=[token("alice", world.alice), token("bob", world.bob)]
    )
    fuzz(config, f"{live_server.url}/api/v1/schema/", "--exclude-path-regex", "^/api/v1/staff/")


@pytest.mark.slow
def test_the_staff_api_survives_fuzzing_with_every_check(
    world: World, live_server: Any, no_throttles: None, tmp_path: Path
) -> None:
    config = write_config(tmp_path, world, name="staff", identities=[staff_session(world)])
    fuzz(config, f"{live_server.url}/api/v1/schema/", "--include-path-regex", "^/api/v1/staff/")


def id_kind(path: str) -> str:
    """Which of alice's objects an `{id}` in this path names."""
    if path.startswith("/api/v1/consents/"):
        return "consents"
    return "plans" if "/care-plans/" in path else "appointments"


def test_a_patient_token_reaches_neither_another_patients_records_nor_staff_operations(
    world: World, live_server: Any
) -> None:
    schema = requests.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=10).json()
    bob = {"Authorization": f"Token {world.bob.token}"}
    alices = {
        "appointments": [a.pk for a in world.alice.appointments],
        "consents": [c.pk for c in world.alice.consents],
        "plans": [p.pk for p in world.alice.plans],
    }
    checked = 0
    for path, operations in schema["paths"].items():
        for method in operations:
            if "{id}" in path:
                kind = id_kind(path)
                for pk in alices[kind]:
                    # Every path parameter (a prescription's {pid} too) gets alice's id, so the URL resolves.
                    url = live_server.url + re.sub(r"\{\w+\}", str(pk), path)
                    answer = requests.request(method, url, headers=bob, json={}, timeout=10)
                    expected = 403 if path.startswith("/api/v1/staff/") else 404
                    assert answer.status_code == expected, f"{method.upper()} {path} with alice's {pk} as bob"
                    checked += 1
            elif path.startswith("/api/v1/staff/"):
                answer = requests.request(method, live_server.url + path, headers=bob, json={}, timeout=10)
                assert answer.status_code == 403, f"{method.upper()} {path} as a patient"
                checked += 1
    assert checked > 30
