"""Rate limits: sign-in codes, holds and check-ins, through the API and the pages alike.

Every refusal is a 429 with Retry-After. The API and the page that do the same thing
count in one bucket. In CI the counters live in Redis, shared by every web process;
when the cache is down, requests go through rather than fail."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import redis
import time_machine
from django.core import mail
from django.test import Client, override_settings
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment, SymptomReport
from booking.views.common import slot_code
from notifications.checkin import make_token
from tests.accounts.sign_in import api_as
from tests.booking.factories import insert_appointment, local
from tests.booking.pages import Journey, free_slots, hold, make_journey_clinic, sign_in
from tests.resources import need_redis

pytestmark = pytest.mark.django_db
Tighten = Callable[..., None]
START = "/api/v1/auth/patient/start"
VERIFY = "/api/v1/auth/patient/verify"


def assert_api_throttled(response: Any, *, at_most: int) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= at_most


def assert_page_throttled(response: Any, *, at_most: int) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= at_most
    assert "Please wait a moment" in response.content.decode()


# --- Sign-in codes ------------------------------------------------------------------------


def test_the_sign_in_page_limits_codes_per_address_of_the_caller(client: Client, throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_start="2/hour")
    for i in range(2):
        assert client.post("/signin/", {"email": f"p{i}@example.com"}).status_code == 302

    refused = client.post("/signin/", {"email": "p9@example.com"})

    assert_page_throttled(refused, at_most=3600)
    assert len(mail.outbox) == 2


def test_the_sign_in_page_limits_codes_per_email_from_any_address(patient: Patient, throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_email="2/hour")
    email = patient.user.email
    for i in range(2):
        assert Client(REMOTE_ADDR=f"198.51.100.{i + 1}").post("/signin/", {"email": email}).status_code == 302

    refused = Client(REMOTE_ADDR="198.51.100.9").post("/signin/", {"email": email.upper()})

    assert_page_throttled(refused, at_most=3600)


def test_the_page_and_the_api_share_the_per_email_count(patient: Patient, throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_email="2/hour")
    email = patient.user.email
    assert APIClient(REMOTE_ADDR="198.51.100.1").post(START, {"email": email}, format="json").status_code == 202
    assert Client(REMOTE_ADDR="198.51.100.2").post("/signin/", {"email": email}).status_code == 302

    refused = APIClient(REMOTE_ADDR="198.51.100.3").post(START, {"email": email}, format="json")

    assert_api_throttled(refused, at_most=3600)


def test_code_checks_are_limited_per_address_of_the_caller(stranger: APIClient, throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_verify="2/hour")
    for i in range(2):
        answer = stranger.post(VERIFY, {"email": f"p{i}@example.com", "code": "123456"}, format="json")
        assert answer.status_code == 400

    refused = stranger.post(VERIFY, {"email": "p9@example.com", "code": "123456"}, format="json")

    assert_api_throttled(refused, at_most=3600)


def test_the_code_page_counts_in_the_same_bucket_as_the_api(client: Client, throttle_rates: Tighten) -> None:
    throttle_rates(sign_in_verify="2/hour")
    client.post("/signin/", {"email": "new@example.com"})
    assert client.post("/signin/code/", {"code": "000000"}).status_code == 200  # wrong, shown on the form
    assert APIClient().post(VERIFY, {"email": "x@example.com", "code": "123456"}, format="json").status_code == 400

    refused = client.post("/signin/code/", {"code": "000000"})

    assert_page_throttled(refused, at_most=3600)


# --- Holds ----------------------------------------------------------------------------------


@pytest.fixture
def journey(db: None) -> Journey:
    return make_journey_clinic()


def apart(slots: list[Any]) -> list[Any]:
    """Three times at least two hours apart, so no hold overlaps another."""
    chosen = [slots[0]]
    for slot in slots:
        if slot.start - chosen[-1].start >= timedelta(hours=2):
            chosen.append(slot)
    return chosen[:3]


def test_holds_from_the_pages_and_the_api_count_together(
    client: Client, journey: Journey, patient: Patient, throttle_rates: Tighten
) -> None:
    throttle_rates(appointment_hold="2/hour")
    # The API holds the 45-minute treatment at these times, so each must suit it as well as the
    # 30-minute one: late in the day a needling slot can run past the hours the other needs.
    both = {slot.start for slot in free_slots(journey.plain, limit=60)}
    first, second, third = apart([slot for slot in free_slots(journey.needling, limit=60) if slot.start in both])
    sign_in(client, patient)
    assert hold(client, journey.needling, first).status_code == 302
    body = {"appointment_type": journey.plain.pk, "start": second.start.isoformat()}
    assert api_as(patient).post("/api/v1/appointments", body, format="json").status_code == 201

    refused_page = hold(client, journey.needling, third)
    refused_api = api_as(patient).post(
        "/api/v1/appointments", {**body, "start": third.start.isoformat()}, format="json"
    )

    assert_page_throttled(refused_page, at_most=3600)
    assert_api_throttled(refused_api, at_most=3600)
    assert Appointment.objects.filter(patient=patient).count() == 2
    assert slot_code(third.start) not in {slot_code(a.start) for a in Appointment.objects.all()}


# --- Check-ins ------------------------------------------------------------------------------

VISITED = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def visit(patient: Patient, journey: Journey) -> Iterator[Appointment]:
    """A needling visit two days ago; the test runs then, while its check-in link is fresh."""
    with time_machine.travel(VISITED, tick=False):
        day = local(journey.clinic, date(2026, 6, 1), "10:00")
        yield insert_appointment(patient, journey.alex, journey.needling, day, status=Appointment.Status.COMPLETED)


def report(client: APIClient, visit: Appointment) -> Any:
    body = {"pain_now": 2, "side_effects": ["soreness"]}
    return client.post(f"/api/v1/appointments/{visit.pk}/symptoms", body, format="json")


def test_check_ins_through_the_api_are_limited_per_patient(
    patient: Patient, visit: Appointment, throttle_rates: Tighten
) -> None:
    throttle_rates(checkin="2/hour")
    for _ in range(2):
        assert report(api_as(patient), visit).status_code == 201

    assert_api_throttled(report(api_as(patient), visit), at_most=3600)
    assert SymptomReport.objects.filter(appointment=visit).count() == 2


def test_the_check_in_link_counts_in_the_patients_bucket(
    client: Client, patient: Patient, visit: Appointment, throttle_rates: Tighten
) -> None:
    throttle_rates(checkin="2/hour")
    assert report(api_as(patient), visit).status_code == 201
    url = f"/checkin/{make_token(visit)}/"
    answer = {"pain_now": "3", "side_effects": [], "notes": ""}
    assert client.post(url, answer).status_code == 302

    refused = client.post(url, answer)

    assert_page_throttled(refused, at_most=3600)
    assert SymptomReport.objects.filter(appointment=visit).count() == 2


# --- Where the counters live ------------------------------------------------------------------


@pytest.fixture
def redis_cache() -> Iterator[tuple[redis.Redis, str]]:
    url = need_redis()
    prefix = f"acus-test-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(url)
    settings = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": settings}):
        yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.mark.redis
def test_limits_are_counted_in_redis_so_every_web_process_shares_them(
    redis_cache: tuple[redis.Redis, str], throttle_rates: Tighten
) -> None:
    client, prefix = redis_cache
    throttle_rates(sign_in_start="2/hour")
    for i in range(2):
        assert APIClient().post(START, {"email": f"p{i}@example.com"}, format="json").status_code == 202

    # What another web process would read: the count is in Redis, not in this process.
    [key] = client.keys(f"{prefix}:*throttle_sign_in_start_127.0.0.1")
    assert client.ttl(key) > 3500
    refused = APIClient().post(START, {"email": "p9@example.com"}, format="json")

    assert_api_throttled(refused, at_most=3600)


def test_with_the_cache_down_requests_go_through_and_the_failure_is_logged(
    journey: Journey, patient: Patient, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    [slot] = free_slots(journey.needling, limit=1)

    with override_settings(CACHES={"default": down}):
        started = APIClient().post(START, {"email": "new@example.com"}, format="json")
        body = {"appointment_type": journey.needling.pk, "start": slot.start.isoformat()}
        held = api_as(patient).post("/api/v1/appointments", body, format="json")

    assert (started.status_code, held.status_code) == (202, 201)
    assert "throttle: cache unreachable (ConnectionError)" in caplog.text
