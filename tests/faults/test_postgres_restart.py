"""PostgreSQL restarted under a running gunicorn: the service answers 503 while the
database is away, never a 500, and carries on by itself once it is back.

Everything runs against a private cluster started for the test (the machine's shared
PostgreSQL is never restarted) and gunicorn with production settings."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.faults.live import (
    Answer,
    Api,
    Postgres,
    Server,
    gunicorn,
    manage,
    private_postgres,
    service_env,
    tail,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

API = "/api/v1"
SEED = (
    "from django.core.management import call_command\n"
    "from rest_framework.authtoken.models import Token\n"
    "from accounts.demo import PATIENT_EMAIL\n"
    "from accounts.models import User\n"
    "call_command('migrate', verbosity=0)\n"
    "call_command('seed_demo', quiet_sign_ins=True)\n"
    "print(Token.objects.get_or_create(user=User.objects.get(email=PATIENT_EMAIL))[0].key)\n"
)


@pytest.fixture
def cluster() -> Iterator[Postgres]:
    with private_postgres() as postgres:
        yield postgres


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "var"
    folder.mkdir()
    return folder


@pytest.fixture
def server(cluster: Postgres, token: str, var_dir: Path, tmp_path: Path) -> Iterator[Server]:
    env = service_env(var_dir, cluster.url)
    with gunicorn(env, tmp_path / "gunicorn.log") as running:
        yield running


@pytest.fixture
def token(cluster: Postgres, var_dir: Path) -> str:
    """The seeded demo clinic, and the demo patient's API token."""
    env = service_env(var_dir, cluster.url, DEBUG="1")  # seed_demo refuses to run with DEBUG off
    return manage(env, "shell", "-c", SEED).strip().splitlines()[-1]


class Booker:
    """Books the demo patient into the first free slot of a 3-day window, the next window each
    time, so that the patient's own bookings never overlap."""

    def __init__(self, api: Api) -> None:
        self.api = api
        kinds = ok(api.get(f"{API}/appointment-types")).body
        self.kind = next(k["id"] for k in kinds if not k["involves_needling"])
        self.days_out = 1

    def slots(self) -> Answer:
        start = datetime.now().astimezone() + timedelta(days=self.days_out)
        window = {
            "appointment_type": self.kind,
            "start": start.isoformat(),
            "end": (start + timedelta(days=3)).isoformat(),
        }
        return self.api.get(f"{API}/slots?{urlencode(window)}")

    def book(self) -> Answer:
        slot = ok(self.slots()).body[0]
        self.days_out += 3
        body = {"appointment_type": self.kind, "practitioner": slot["practitioner"], "start": slot["start"]}
        return self.api.post(f"{API}/appointments", body, key=str(uuid.uuid4()))


def ok(answer: Answer, status: int = 200) -> Answer:
    assert answer.status == status, str(answer)
    return answer


class Prober(threading.Thread):
    """Reads the patient's appointments over and over, counting the answers."""

    def __init__(self, api: Api) -> None:
        super().__init__(daemon=True)
        self.api = api
        self.answers: Counter[int] = Counter()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.05):
            self.answers[self.api.call("GET", f"{API}/appointments", timeout=30).status] += 1

    def __enter__(self) -> Prober:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.join(timeout=40)


def all_succeed(api: Api, booker: Booker, logs: tuple[Path, ...]) -> None:
    """A run of reads on every worker and a new booking, each answered as without any fault."""
    answers = [api.get("/healthz")]
    for _ in range(10):
        answers += [api.get(f"{API}/appointments"), booker.slots(), api.get(f"{API}/me")]
    answers.append(booker.book())
    failed = [str(a) for a in answers if a.status not in (200, 201)]
    assert not failed, f"{len(failed)} of {len(answers)} requests failed: {failed[:5]}{tail(*logs)}"
    assert answers[-1].status == 201


def test_the_service_answers_503_while_postgres_is_down_and_recovers_without_a_restart(
    cluster: Postgres, token: str, server: Server
) -> None:
    api = Api(server.port, token)
    logs = (server.log, cluster.log)
    booker = Booker(api)
    all_succeed(api, booker, logs)

    with Prober(api) as prober:
        # A restart while requests keep coming.
        cluster.restart()
        wait_until(lambda: api.get("/healthz").status == 200, seconds=30, what="/healthz after a restart", logs=logs)
        all_succeed(api, booker, logs)

        # And while it is away: 503 with Retry-After, never a 500, and nothing booked.
        cluster.stop()
        health = api.get("/healthz")
        assert (health.status, health.body) == (503, {"status": "error", "database": "unreachable", "broker": "ok"})
        later = {"appointment_type": booker.kind, "start": "2030-01-07T09:00:00+00:00"}
        read, page = api.get(f"{API}/appointments"), api.get("/book/")
        booking = api.post(f"{API}/appointments", later, key=str(uuid.uuid4()))
        for answer in (read, booking):
            assert answer.status == 503, str(answer)
            assert answer.body["code"] == "service_unavailable"
            assert int(answer.headers["Retry-After"]) > 0
        assert page.status == 503, str(page)
        assert page.headers["Content-Type"].startswith("text/html") and "back in a moment" in page.body
        assert max(a.seconds for a in (health, read, booking, page)) < 3

        cluster.start()
        waited = wait_until(
            lambda: api.get("/healthz").status == 200, seconds=30, what="/healthz after a stop", logs=logs
        )
        all_succeed(api, booker, logs)

    mine = ok(api.get(f"{API}/appointments")).body
    assert len(mine) == 3, "one booking before, one after the restart, one after the stop; none while it was down"
    assert set(prober.answers) <= {200, 503}, f"answers while PostgreSQL restarted: {prober.answers}"
    statuses = server.statuses()
    log_text = server.log.read_text()
    assert 500 not in statuses and "Traceback" not in log_text, log_text[-6000:]
    assert server.process.poll() is None, "gunicorn kept running throughout"
    print(f"recovered {waited:.1f} s after start; gunicorn answered {dict(statuses)}; prober {dict(prober.answers)}")
