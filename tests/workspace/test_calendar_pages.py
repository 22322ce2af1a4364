"""Today and week: the practitioner's appointments in the clinic's zone, with status,
type, the patient's name and badges for consent and screening flags."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Patient
from tests.workspace.factories import MONDAY, REVIEW, Desk, body, book_needling, book_plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_today_lists_the_practitioners_visits_in_the_clinics_zone_with_badges(
    desk: Desk, alex_client: Client, patient: Patient, other_patient: Patient
) -> None:
    book_needling(desk, patient, desk.at("14:00"))
    book_needling(desk, other_patient, desk.at("10:00"), answers=REVIEW)

    page = body(alex_client.get("/staff/today/"))

    assert "Today, Monday, 1 June 2026" in page
    assert "Times in Europe/London" in page
    # 10:00 and 14:00 London (BST) are 09:00 and 13:00 UTC: the page shows wall-clock times.
    assert re.search(">10:00</time>\u2013<time[^>]*>10:30<", page)
    assert page.index("Olive Other") < page.index("Pat Example"), "in time order"
    assert "Follow-up dry needling" in page
    assert "Waiting for review" in page and "Confirmed" in page
    assert "Consent signed" in page
    assert "2 screening flags" in page


def test_the_staff_home_page_opens_on_today(desk: Desk, alex_client: Client, patient: Patient) -> None:
    book_plain(desk, patient, desk.at("11:00"))

    response = alex_client.get("/staff/")

    assert response.status_code == 200
    assert "Pat Example" in body(response)
    assert 'aria-current="page">Today<' in body(response)


def test_a_practitioner_does_not_see_a_colleagues_visits(desk: Desk, priya_client: Client, patient: Patient) -> None:
    book_plain(desk, patient, desk.at("11:00"), practitioner=desk.alex)

    page = body(priya_client.get("/staff/today/"))

    assert "Pat Example" not in page
    assert "No appointments today" in page


def test_a_clinic_admin_sees_every_practitioner_and_can_narrow_to_one(
    desk: Desk, admin_client_: Client, patient: Patient, other_patient: Patient
) -> None:
    book_plain(desk, patient, desk.at("11:00"), practitioner=desk.alex)
    book_plain(desk, other_patient, desk.at("11:00"), practitioner=desk.priya)

    everyone = body(admin_client_.get("/staff/today/"))
    only_priya = body(admin_client_.get(f"/staff/today/?practitioner={desk.priya.pk}"))

    assert "Pat Example" in everyone and "Olive Other" in everyone
    assert "Alex Morgan" in everyone, "the practitioner is named when several are shown"
    assert "Olive Other" in only_priya and "Pat Example" not in only_priya


def test_another_day_is_reached_by_its_date(desk: Desk, alex_client: Client, patient: Patient) -> None:
    book_plain(desk, patient, desk.at("11:00", MONDAY + timedelta(days=1)))

    page = body(alex_client.get("/staff/today/?day=2026-06-02"))

    assert "Tuesday, 2 June 2026" in page and "Pat Example" in page


def test_a_bad_day_in_the_address_falls_back_to_today(alex_client: Client) -> None:
    response = alex_client.get("/staff/today/?day=2026-13-45")

    assert response.status_code == 200
    assert "Today, Monday, 1 June 2026" in body(response)


def test_the_week_shows_seven_days_from_monday(desk: Desk, alex_client: Client, patient: Patient) -> None:
    book_plain(desk, patient, desk.at("11:00", MONDAY + timedelta(days=3)))

    page = body(alex_client.get("/staff/week/?week=2026-06-04"))

    assert "Week of 1 June 2026" in page
    assert page.count('class="week__day') == 7
    assert "Thu 4 Jun" in page and "Pat Example" in page
    assert "1 appointment." in page


def test_the_calendar_costs_the_same_queries_for_one_visit_or_many(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounts.factories import make_patient

    def week_queries() -> int:
        with CaptureQueriesContext(connection) as counted:
            alex_client.get("/staff/week/")
        return len(counted.captured_queries)

    book_needling(desk, patient, desk.at("09:00"), answers=REVIEW)
    alex_client.get("/staff/week/")  # warm the session
    one = week_queries()
    for hour in range(10, 16):
        book_needling(desk, make_patient(), desk.at(f"{hour:02d}:00"), answers=REVIEW if hour % 2 else None)

    assert week_queries() == one <= 15


def test_staff_pages_need_the_second_factor(desk: Desk, client: Client) -> None:
    client.force_login(desk.alex.user, backend="django.contrib.auth.backends.ModelBackend")

    for url in ["/staff/today/", "/staff/week/", "/staff/reviews/", "/staff/schedule/", "/staff/credentials/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/staff/signin/"), url


def test_patients_are_sent_to_the_staff_sign_in(desk: Desk, client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/staff/today/")["Location"].startswith("/staff/signin/")


def test_the_clinic_admin_lands_on_today_for_their_clinics(desk: Desk, admin_client_: Client, patient: Patient) -> None:
    book_plain(desk, patient, desk.at("11:00"), practitioner=desk.priya)

    response = admin_client_.get("/staff/")

    assert response.status_code == 200
    assert "Pat Example" in body(response) and "Priya Shah" in body(response)
    assert "Consent audit" in body(response), "the admin's nav keeps the audit links"


def test_a_day_with_a_clock_change_keeps_wall_clock_times(desk: Desk, alex_client: Client, patient: Patient) -> None:
    from datetime import date

    sunday = date(2026, 3, 29)  # British Summer Time starts at 01:00 UTC
    book_plain(desk, patient, desk.at("10:00", sunday))

    page = body(alex_client.get("/staff/today/?day=2026-03-29"))

    assert re.search(r">10:00</time>\u2013<time[^>]*>10:45<", page)
    assert 'datetime="2026-03-29T10:00:00+01:00"' in page
