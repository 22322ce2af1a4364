"""Measuring: the audit list, detail and CSV export through the real views as a verified clinic admin."""

from __future__ import annotations

import random
import time as clock
from typing import Any

from django.db import connection, reset_queries
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from bench.audit import ADMIN_EMAIL, SLUG, say
from bench.common import summary_ms
from booking.models import Clinic, Practitioner
from consent import selectors
from consent.models import ConsentFormVersion, SignedConsent


def admin_client() -> Client:
    admin = User.objects.get(email=ADMIN_EMAIL)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=admin, confirmed=True).persistent_id
    session.save()
    return client


def timed(client: Client, url: str, repeat: int, **params: Any) -> dict[str, Any]:
    for _ in range(2):  # warm caches and connections
        client.get(url, params)
    seconds, queries = [], 0
    for _ in range(repeat):
        reset_queries()
        started = clock.perf_counter()
        response = client.get(url, params)
        seconds.append(clock.perf_counter() - started)
        queries = len(connection.queries)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params} answered {response.status_code}")
    return {**summary_ms(seconds), "queries": queries}


def measure(repeat: int) -> dict[str, Any]:
    client = admin_client()
    clinic = Clinic.objects.get(slug=SLUG)
    practitioner = Practitioner.objects.filter(clinics=clinic).order_by("pk").first()
    form = ConsentFormVersion.objects.filter(scope=SLUG).order_by("version").first()
    assert practitioner is not None and form is not None
    last_page = SignedConsent.objects.filter(scope=SLUG).count() // 50
    list_url = "/staff/audit/consents/"
    scenarios: dict[str, tuple[str, dict[str, Any]]] = {
        "list: first page, no filter": (list_url, {}),
        f"list: page {last_page // 2} (deep offset)": (list_url, {"page": last_page // 2}),
        "list: status active": (list_url, {"status": "active"}),
        "list: status expired": (list_url, {"status": "expired"}),
        "list: status withdrawn": (list_url, {"status": "withdrawn"}),
        "list: status superseded, page 100": (list_url, {"status": "superseded", "page": 100}),
        "list: search a surname": (list_url, {"q": "okafor"}),
        "list: search an email": (list_url, {"q": "patient01234@"}),
        "list: one practitioner": (list_url, {"practitioner": practitioner.pk}),
        "list: form v1 + a month": (
            list_url,
            {"form_version": form.pk, "signed_from": "2025-06-01", "signed_to": "2025-06-30"},
        ),
        "list: signed by a guardian": (list_url, {"signer_role": "guardian"}),
        "access log: first page": ("/staff/audit/access-log/", {}),
    }
    results: dict[str, Any] = {}
    for name, (url, params) in scenarios.items():
        results[name] = timed(client, url, repeat, **params)
        say(f"  {name:40} {results[name]}")
    ids = list(SignedConsent.objects.filter(scope=SLUG).values_list("pk", flat=True))
    rng = random.Random(7)
    sample = [rng.choice(ids) for _ in range(repeat)]
    for pk in sample[:2]:
        client.get(f"/staff/audit/consents/{pk}/")
    seconds, queries = [], 0
    for pk in sample:
        reset_queries()
        started = clock.perf_counter()
        response = client.get(f"/staff/audit/consents/{pk}/")
        seconds.append(clock.perf_counter() - started)
        queries = len(connection.queries)
        assert response.status_code == 200
    results["detail: random consents"] = {**summary_ms(seconds), "queries": queries}
    say(f"  {'detail: random consents':40} {results['detail: random consents']}")
    for name, filters in (
        ("csv: one month (about 5,000 consents)", {"signed_from": "2025-06-01", "signed_to": "2025-06-30"}),
        ("csv: every consent, with health answers", {"include_health_answers": "on"}),
    ):
        started = clock.perf_counter()
        response = client.post("/staff/audit/consents/export.csv", filters)
        assert response.status_code == 200
        results[name] = {
            "seconds": round(clock.perf_counter() - started, 2),
            "rows": response.content.count(b"\r\n") - 1,
        }
        say(f"  {name:40} {results[name]}")
    started = clock.perf_counter()
    broken = selectors.verify_chain()  # the walk the weekly job and verify_consents run
    results["verify the whole chain (seconds)"] = round(clock.perf_counter() - started, 2)
    results["chain intact"] = broken is None
    say(f"  verify the whole chain: {results['verify the whole chain (seconds)']} s, intact: {broken is None}")
    return results
