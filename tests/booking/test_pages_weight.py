"""Light pages: every page of the journey under 50 KB of HTML, the stylesheet and scripts
together under 100 KB, and nothing fetched from another host."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.views.common import slot_code
from tests.booking.factories import insert_appointment
from tests.booking.pages import DETAILS, expire, free_slots, held, hold, make_journey_clinic, sign_in

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "static"
HTML_LIMIT = 50_000
ASSETS_LIMIT = 100_000
_REMOTE = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
# The demo questionnaire's "no" to every question (its three multiple-choice items aside).
DEMO_CLEAR = {"needle_feelings": "fine", "decision_making": "self", "epilepsy": "no"}


def demo_answers(client: Client, url: str) -> dict[str, str]:
    names = set(re.findall(r'name="([a-z_]+)" value="no"', client.get(url).content.decode()))
    return {**dict.fromkeys(names, "no"), **DEMO_CLEAR, "medicines": ""}


def check(name: str, response: Any) -> None:
    assert response.status_code == 200, (name, response.status_code)
    html = response.content.decode()
    assert len(response.content) < HTML_LIMIT, f"{name}: {len(response.content)} bytes of HTML"
    assert not _REMOTE.search(html), f"{name} refers to another host"
    assert '<html lang="en-GB" dir="ltr">' in html, name
    assert "style=" not in html and "<script>" not in html, f"{name}: inline style or script (CSP)"


def test_every_page_is_light_and_fetches_nothing_from_other_hosts(client: Client, patient: Patient) -> None:
    """Every page a patient sees, with the demo clinic's real consent form and questionnaire."""
    journey = make_journey_clinic(demo_content=True)
    kind = journey.needling
    for name, url in {
        "home": "/",
        "treatments": "/book/",
        "practitioners": f"/book/{kind.pk}/",
        "times": f"/book/{kind.pk}/times/?practitioner=any",
        "sign-in": "/signin/",
    }.items():
        check(name, client.get(url))
    slots = free_slots(kind, limit=60)
    sign_in(client, patient)
    check("hold-choice", client.get(f"/book/{kind.pk}/hold/any/{slot_code(slots[0].start)}/"))
    hold(client, kind, slots[0])
    booked = held(patient)
    check("details", client.get(f"/appointments/{booked.pk}/details/"))
    client.post(f"/appointments/{booked.pk}/details/", DETAILS)
    screening_url = f"/appointments/{booked.pk}/screening/"
    check("screening", client.get(screening_url))
    check("screening-errors", client.post(screening_url, {}))
    consent_url = client.post(screening_url, demo_answers(client, screening_url))["Location"]
    check("consent", client.get(consent_url))
    check("consent-errors", client.post(consent_url, {"screening": screening_id_of(consent_url)}))
    acks = set(re.findall(r'name="(ack_[a-z_]+)"', client.get(consent_url).content.decode()))
    signed = {**dict.fromkeys(acks, "on"), "e_records_accepted": "on", "typed_name": "Pat Example"}
    client.post(consent_url, {"screening": screening_id_of(consent_url), **signed})
    check("appointment", client.get(f"/appointments/{booked.pk}/"))

    later = [s for s in free_slots(journey.plain, limit=200) if s.start > timezone.now() + timedelta(days=3)]
    moving, *_ = [insert_appointment(patient, journey.priya, journey.plain, s.start) for s in later[:60:10]]
    check("my-appointments", client.get("/appointments/"))
    check("cancel", client.get(f"/appointments/{moving.pk}/cancel/"))
    check("reschedule", client.get(f"/appointments/{moving.pk}/reschedule/"))

    hold(client, kind, slots[-1], token="blocked-visit-1234")
    blocked = held(patient)
    client.post(f"/appointments/{blocked.pk}/details/", DETAILS)
    answers = {**demo_answers(client, f"/appointments/{blocked.pk}/screening/"), "lymphoedema": "yes"}
    response = client.post(f"/appointments/{blocked.pk}/screening/", answers)
    check("not-suitable", client.get(response["Location"]))

    hold(client, kind, slots[-2], token="expired-visit-1234")
    expire(held(patient))
    check("expired", client.get(f"/appointments/{held(patient).pk}/"))


def screening_id_of(url: str) -> str:
    return url.split("screening=")[1]


def test_the_stylesheet_and_scripts_together_stay_under_100_kb() -> None:
    assets = [STATIC / "css" / "acus.css", *sorted((STATIC / "js").glob("*.js"))]

    total = sum(path.stat().st_size for path in assets)

    assert total < ASSETS_LIMIT, f"{total} bytes of CSS and JavaScript"
