"""The waitlist results page (clinic admins only): fill rate and median time to fill for a
period, by cause; an empty period read plainly; the clinic's settings shown read-only and kept
in Django admin; and the waitlist pages in Spanish and French with no English left."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client

from accounts.models import Patient, User
from tests.core.i18n import english_left_in
from tests.workspace.factories import NOW, Desk, body, staff_client
from tests.workspace.waitlist_rows import TUESDAY, known_period, make_entry, make_freed, make_offer
from waitlist.models import Mode, Offer, WaitlistSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = "/staff/waitlist/stats/"


def test_the_admin_sees_fill_rate_and_median_for_the_period(desk: Desk, admin_client_: Client) -> None:
    known_period(desk)

    response = admin_client_.get(URL, {"from": "2026-05-25", "to": "2026-06-01"})

    page = body(response)
    assert response.status_code == 200
    assert "25 May 2026 to 1 June 2026" in page
    assert "<dd>60%</dd>" in page and "<dd>30 min</dd>" in page
    assert re.search(r"<th scope=\"row\">A cancellation</th><td>3</td><td>2</td><td>66.7%</td><td>20 min</td>", page)
    assert "A hold that ran out" in page and "None filled" in page


def test_an_empty_period_reads_plainly(desk: Desk, admin_client_: Client) -> None:
    known_period(desk)

    page = body(admin_client_.get(URL, {"from": "2026-01-01", "to": "2026-01-31"}))

    assert "No freed times in this period." in page
    assert "Fill rate" not in page


def test_the_default_period_is_the_last_thirty_days(desk: Desk, admin_client_: Client) -> None:
    page = body(admin_client_.get(URL))

    assert "3 May 2026 to 1 June 2026" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-13-01", "to": "2026-06-01"}, "Give a date as year-month-day."),
        ({"from": "2026-06-01", "to": "2026-05-01"}, "The end of the period must not be before its start."),
    ],
)
def test_a_bad_period_is_a_field_error(desk: Desk, admin_client_: Client, query: dict[str, str], message: str) -> None:
    response = admin_client_.get(URL, query)

    assert response.status_code == 400
    assert message in body(response) and "There is a problem" in body(response)


def test_the_results_are_for_clinic_admins_only(desk: Desk, alex_client: Client) -> None:
    assert alex_client.get(URL).status_code == 404


def test_the_clinics_settings_are_shown_and_kept_in_django_admin(desk: Desk, admin_client_: Client) -> None:
    assert "One patient at a time" in body(admin_client_.get(URL))

    WaitlistSettings.objects.create(clinic=desk.clinic, mode=Mode.BROADCAST, offer_minutes=15, broadcast_size=8)
    page = body(admin_client_.get(URL))

    assert "Several patients at once, first to claim" in page
    assert "<dd>15</dd>" in page and "<dd>8</dd>" in page
    model_admin = admin.site._registry[WaitlistSettings]
    assert {"mode", "offer_minutes", "broadcast_size"} <= set(model_admin.get_fields(None))  # type: ignore[arg-type]


def _in(language: str, user: User) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    return staff_client(user)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_waitlist_pages_have_no_english_left(
    desk: Desk, patient: Patient, other_patient: Patient, language: str
) -> None:
    entry = make_entry(desk, patient, practitioner=desk.alex, parts_of_day=["morning"])
    make_entry(desk, other_patient, notice_minutes=45)
    slot = make_freed(desk.alex, desk.at("11:00", TUESDAY), freed_at=NOW - timedelta(hours=1))
    make_offer(slot, entry, status=Offer.Status.EXPIRED, sent_at=NOW - timedelta(minutes=50))
    known_period(desk)
    alex, admin_ = _in(language, desk.alex.user), _in(language, desk.admin)

    for client, url in [
        (alex, f"/staff/waitlist/?day={TUESDAY}"),
        (alex, f"/staff/waitlist/offers/?entry={entry.pk}"),
        (admin_, f"{URL}?from=2026-05-25&to=2026-06-01"),
        (admin_, f"{URL}?from=2026-01-01&to=2026-01-31"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = body(response)
        assert f'<html lang="{language}"' in page, url
        assert english_left_in(page) == [], url
        assert {"es": "Lista de espera", "fr": "Liste d\u2019attente"}[language] in page, url
