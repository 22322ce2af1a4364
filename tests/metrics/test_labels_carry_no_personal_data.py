"""No label carries a patient, an address, an id or a raw path: routes are URL patterns as
written (or `unmatched`), every other label one of a fixed few values."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Patient
from booking.models import Appointment
from tests.metrics.scrape import scrape

pytestmark = pytest.mark.django_db
FIXED = {
    "method": {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"},
    "status": {"1xx", "2xx", "3xx", "4xx", "5xx"},
    "by": {"patient", "staff", "screening"},
    "signer": {"patient", "guardian"},
    "outcome": {"clear", "review", "block"},
    "channel": {"email", "sms"},
    "queue": {"celery"},
    "le": None,  # histogram buckets: numbers we chose
}


def joined(prefix: str, pattern: object) -> str:
    """A nested pattern as ResolverMatch.route writes it: a regex's leading ^ is dropped when it
    follows a prefix (`fhir/R4/` + `^.*$` is `fhir/R4/.*$`)."""
    text = str(pattern)
    return prefix + text.removeprefix("^") if prefix else text


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, joined(prefix, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield joined(prefix, entry.pattern)


def routes_of_test_urlconfs() -> Iterator[str]:
    """The routes of the URLconfs tests serve instead of the project's (tests/core/failing_view.py
    and the like): the registry is the process's, so their requests' labels are in the scrape too
    when the whole suite runs in one process."""
    tests = Path(__file__).resolve().parents[1]
    for path in sorted(tests.rglob("*.py")):
        if re.search(r"^urlpatterns = ", path.read_text(), re.MULTILINE):
            module = importlib.import_module(".".join(path.relative_to(tests.parent).with_suffix("").parts))
            yield from routes(module.urlpatterns)


def test_labels_hold_routes_and_fixed_values_only(patient: Patient, held: Appointment) -> None:
    web = Client()
    web.force_login(patient.user)
    paths = (
        f"/appointments/{held.pk}/",
        f"/api/v1/appointments/{held.pk}",
        "/no-such-page/pat@example.com",
        "/fhir/R4/NoSuchType/pat@example.com",  # a regex catch-all inside an include
        "/admin/booking/",  # a regex route with a leading ^ inside an include
    )
    for path in paths:
        web.get(path)
    web.get("/signin/", {"email": patient.user.email})

    found = scrape(Client())
    known = set(routes()) | set(routes_of_test_urlconfs()) | {"unmatched"}

    acus = [(name, labels) for name, labels, _ in found.samples if name.startswith("acus_")]
    assert any(labels.get("route") == "appointments/<int:pk>/" for _, labels in acus)
    for name, labels in acus:
        for label, value in labels.items():
            if label == "route":
                assert value in known, (name, value)
            elif (allowed := FIXED[label]) is not None:
                assert value in allowed, (name, label, value)
    assert "@" not in found.text and patient.legal_name not in found.text
    assert f"/{held.pk}" not in found.text
