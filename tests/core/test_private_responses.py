"""Every answer to a signed-in caller says `Cache-Control: private, no-store`.

The walk below takes every route the URL resolver knows, fills its ids from a small
world (the demo clinic, a patient with a signed consent and visits), and GETs it as a
patient with a session, a patient with an API token, a practitioner and a clinic admin
whose sessions passed TOTP. A new route with an id this walk cannot fill fails the
test until `kwargs_for` learns it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from booking.views.common import slot_code
from notifications.checkin import make_token
from tests.accounts.sign_in import verified_staff_client
from tests.integration.world import ADMIN_EMAIL, World, build_world

pytestmark = pytest.mark.django_db
PRIVATE = "private, no-store"
CONSENT_ROUTES = {
    "consent-detail",
    "consent-pdf",
    "consent-withdraw",
    "booking:consent-pdf",
    "booking:consent-withdraw",
    "audit:consent",
    "audit:consent-pdf",
}
MISSING = 999_999  # ids of kinds the world has none of (an erasure, a time off): the answer is a 404


def routes(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) for every named route; the route as written, with its <converters>."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name


def parameters(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def kwargs_for(name: str, world: World) -> dict[str, Any]:
    alice = world.alice
    visit, past = alice.appointments[0], alice.appointments[2]
    if name in CONSENT_ROUTES:
        return {"pk": alice.consents[0].pk}
    known: dict[str, dict[str, Any]] = {
        "audit:patient-fhir": {"pk": alice.patient.pk},
        "audit:erasure-done": {"pk": MISSING},
        "staff:time-off-remove": {"pk": MISSING},
        "accounts:staff-remove-passkey": {"passkey_id": MISSING},
        "notifications:checkin": {"token": make_token(past)},
        "notifications:checkin-done": {"token": make_token(past)},
        "notifications:appointment-checkin": {"pk": past.pk},
        "staff:feed-ics": {"token": "not-a-feed"},
        "booking:practitioners": {"type_id": world.demo.needling.pk},
        "fhir:bulk-file": {"clinic_id": world.demo.clinic.pk, "kind": "slot"},
        "integrations:key-new": {"clinic_id": world.demo.clinic.pk},
        "booking:times": {"type_id": world.demo.needling.pk},
        "booking:hold": {"type_id": world.demo.needling.pk},
        "booking:hold-choice": {"type_id": world.demo.needling.pk, "who": "any", "code": slot_code(timezone.now())},
    }
    plan, prescription = alice.plans[0], alice.prescriptions[0]
    course: dict[str, dict[str, Any]] = {
        "api-exercise-done": {"pk": plan.pk, "pid": prescription.pk},
        "staff-plan-exercise": {"pk": plan.pk, "pid": prescription.pk},
        "staff:plan-exercise-dose": {"pk": plan.pk, "pid": prescription.pk},
        "staff:plan-exercise-stop": {"pk": plan.pk, "pid": prescription.pk},
        "care:exercise-tick": {"pk": plan.pk, "pid": prescription.pk},
        "care:answer-measure": {"pk": plan.pk, "instrument": "nprs"},
        "care:measure-result": {"pk": plan.pk, "instrument": "nprs", "score": MISSING},
        "care:stop-reminder": {"token": "not-a-reminder"},
        "waitlist:offer": {"token": "not-an-offer"},
        "api-waitlist-offer": {"token": "not-an-offer"},
        "api-waitlist-offer-claim": {"token": "not-an-offer"},
        "care:health-change": {"appointment_id": visit.pk},
        "waitlist:join": {"type_id": world.demo.plain.pk},
        "waitlist:entry": {"pk": alice.entries[0].pk},
        "api-waitlist-entry": {"pk": alice.entries[0].pk},
    }
    if name in course:
        return course[name]
    if name.startswith("care:") or "plan" in name:
        return known.get(name, {"pk": plan.pk})
    return known.get(name, {"pk": visit.pk})


def paths(world: World, *, api_only: bool = False) -> list[str]:
    found = []
    for route, name in routes():
        if route.startswith("admin/") and parameters(route):
            continue  # the admin's generic object pages; the consent admin sets the header itself
        kwargs = kwargs_for(name, world) if parameters(route) else {}
        assert set(kwargs) == set(parameters(route)), f"teach kwargs_for the ids of {name} ({route})"
        path = reverse(name, kwargs=kwargs)
        if not api_only or path.startswith("/api/"):
            found.append(path)
    return found


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def walk(client: Client, world: World, *, api_only: bool = False) -> dict[str, int]:
    """GET every route; fail on any answer without the header. Returns path -> status."""
    seen, missing = {}, []
    for path in paths(world, api_only=api_only):
        response = client.get(path)
        seen[path] = response.status_code
        if response.get("Cache-Control") != PRIVATE and "no-store" not in response.get("Cache-Control", ""):
            missing.append(f"{path}: {response.status_code} {response.get('Cache-Control')!r}")
    assert not missing, "\n".join(missing)
    return seen


def test_every_answer_to_a_signed_in_patient_is_private(world: World) -> None:
    client = Client()
    client.force_login(world.alice.patient.user)
    consent, visit = world.alice.consents[0].pk, world.alice.appointments[0].pk

    seen = walk(client, world)

    for path in ("/appointments/", f"/appointments/{visit}/", f"/consents/{consent}/pdf/", "/account/"):
        assert seen[path] == 200, path
    assert sum(status == 200 for status in seen.values()) > 15


def test_every_api_answer_to_a_patient_token_is_private(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.alice.token}")
    consent, visit = world.alice.consents[0].pk, world.alice.appointments[0].pk

    seen = walk(client, world, api_only=True)

    for path in (f"/api/v1/consents/{consent}", f"/api/v1/consents/{consent}/pdf", f"/api/v1/appointments/{visit}"):
        assert seen[path] == 200, path
    assert seen["/api/v1/me"] == 200


def test_every_answer_to_a_verified_practitioner_is_private(world: World) -> None:
    practitioner = world.demo.practitioners[0].user
    client = verified_staff_client(practitioner)
    visit = world.alice.appointments[0].pk

    seen = walk(client, world)

    for path in (f"/staff/appointments/{visit}/", f"/api/v1/staff/appointments/{visit}", "/staff/today/"):
        assert seen[path] == 200, path


def test_every_answer_to_a_verified_clinic_admin_is_private(world: World) -> None:
    client = verified_staff_client(User.objects.get(email=ADMIN_EMAIL))
    consent = world.alice.consents[0].pk

    seen = walk(client, world)

    for path in ("/staff/audit/consents/", f"/staff/audit/consents/{consent}/", "/staff/audit/access-log/"):
        assert seen[path] == 200, path


def test_the_answer_that_signs_a_patient_in_is_private_already(client: Client) -> None:
    response = client.post("/signin/", {"email": "new@example.com"})

    assert response.status_code == 302
    assert response["Cache-Control"] == PRIVATE


def test_answers_to_anonymous_callers_keep_their_own_caching(client: Client) -> None:
    manifest = client.get("/manifest.webmanifest")
    catalogue = APIClient().get("/api/v1/clinics")

    assert manifest["Cache-Control"] == "max-age=86400, public"
    assert "no-store" not in catalogue.get("Cache-Control", "")
