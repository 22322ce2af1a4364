"""The waitlist pages: join from the times page, see entries on My appointments, change or
leave one; plain forms with field errors, POST-redirect-GET, es/fr throughout."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from accounts.models import Patient
from tests.core.i18n import english_left_in
from tests.waitlist.factories import insert_entry
from tests.workspace.factories import MONDAY, Desk, body
from waitlist.models import Entry

pytestmark = pytest.mark.usefixtures("frozen")
MY_APPOINTMENTS = "/appointments/"


def signed_in(patient: Patient) -> Client:
    client = Client()
    client.force_login(patient.user)
    return client


def form(**changes: Any) -> dict[str, Any]:
    return {
        "practitioner": "",
        "first_day": MONDAY.isoformat(),
        "last_day": (MONDAY + timedelta(days=13)).isoformat(),
        "weekdays": ["0", "2"],
        "parts_of_day": ["morning", "evening"],
        "notice_minutes": "120",
        "reach_by": "email",
        **changes,
    }


def test_the_times_page_links_to_the_waitlist(desk: Desk, patient: Patient) -> None:
    html = body(signed_in(patient).get(f"/book/{desk.plain.pk}/times/?practitioner={desk.alex.pk}"))

    assert f'href="/waitlist/join/{desk.plain.pk}/?practitioner={desk.alex.pk}"' in html
    assert "No time that suits you? Join the waitlist" in html


def test_joining_redirects_to_my_appointments_with_the_entry_listed(desk: Desk, patient: Patient) -> None:
    client = signed_in(patient)
    page = body(client.get(f"/waitlist/join/{desk.plain.pk}/?practitioner={desk.alex.pk}"))
    assert f'<option value="{desk.alex.pk}" selected>Alex Morgan</option>' in page
    assert '<option value="" >Anyone</option>' in page.replace('value="">', 'value="" >')

    answer = client.post(f"/waitlist/join/{desk.plain.pk}/", form(practitioner=str(desk.priya.pk)))

    assert (answer.status_code, answer["Location"]) == (302, MY_APPOINTMENTS)
    entry = Entry.objects.get(patient=patient)
    assert (entry.practitioner, entry.weekdays, entry.parts_of_day) == (desk.priya, [0, 2], ["morning", "evening"])
    html = body(client.get(MY_APPOINTMENTS))
    assert "You are on the waitlist." in html
    assert "Your waitlist" in html
    assert desk.plain.name in html and "with Priya Shah" in html
    assert "Days: Monday and Wednesday" in html
    assert "Shortest notice: 2 hours" in html
    assert f'href="/waitlist/entries/{entry.pk}/"' in html


def test_field_errors_are_summarised_and_shown_by_each_field(desk: Desk, patient: Patient) -> None:
    client = signed_in(patient)

    answer = client.post(
        f"/waitlist/join/{desk.plain.pk}/",
        form(first_day=(MONDAY - timedelta(days=2)).isoformat(), reach_by="sms"),
    )

    html = body(answer)
    assert answer.status_code == 400
    assert 'class="error-summary"' in html
    assert 'href="#id_first_day">Choose today or a later day.</a>' in html
    assert 'id="id_reach_by-error">Add a mobile phone number to your details first, or choose email.' in html
    assert not Entry.objects.exists()


def test_the_same_wish_twice_is_explained_on_the_form(desk: Desk, patient: Patient) -> None:
    client = signed_in(patient)
    client.post(f"/waitlist/join/{desk.plain.pk}/", form())

    html = body(client.post(f"/waitlist/join/{desk.plain.pk}/", form()))

    assert "You are already on the waitlist for exactly this." in html
    assert Entry.objects.count() == 1


def test_changing_an_entry_keeps_it_waiting(desk: Desk, patient: Patient) -> None:
    entry = insert_entry(patient, desk.plain)
    client = signed_in(patient)
    assert "Change your entry" in body(client.get(f"/waitlist/entries/{entry.pk}/"))

    answer = client.post(f"/waitlist/entries/{entry.pk}/", form(action="change", notice_minutes="1440"))

    assert (answer.status_code, answer["Location"]) == (302, MY_APPOINTMENTS)
    entry.refresh_from_db()
    assert (entry.status, entry.notice_minutes) == (Entry.Status.WAITING, 1440)


def test_leaving_asks_first_then_ends_the_entry(desk: Desk, patient: Patient) -> None:
    entry = insert_entry(patient, desk.plain)
    client = signed_in(patient)

    confirm = body(client.post(f"/waitlist/entries/{entry.pk}/", {"action": "leave"}))
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WAITING
    assert 'value="leave-confirmed"' in confirm

    answer = client.post(f"/waitlist/entries/{entry.pk}/", {"action": "leave-confirmed"})

    assert answer["Location"] == MY_APPOINTMENTS
    entry.refresh_from_db()
    assert entry.status == Entry.Status.LEFT
    html = body(client.get(MY_APPOINTMENTS))
    assert "You have left the waitlist." in html
    assert f"/waitlist/entries/{entry.pk}/" not in html


def test_another_patients_entry_is_a_404(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    theirs = insert_entry(other_patient, desk.plain)
    client = signed_in(patient)

    assert client.get(f"/waitlist/entries/{theirs.pk}/").status_code == 404
    assert client.post(f"/waitlist/entries/{theirs.pk}/", {"action": "leave-confirmed"}).status_code == 404
    assert "Your waitlist" not in body(client.get(MY_APPOINTMENTS))
    theirs.refresh_from_db()
    assert theirs.status == Entry.Status.WAITING


def test_signing_in_comes_first(desk: Desk) -> None:
    answer = Client().get(f"/waitlist/join/{desk.plain.pk}/")

    assert answer.status_code == 302 and answer["Location"].startswith("/signin/")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_pages_leave_no_english_in_spanish_or_french(desk: Desk, patient: Patient, language: str) -> None:
    entry = insert_entry(patient, desk.plain, weekdays=[1, 3], parts_of_day=["afternoon"])
    client = signed_in(patient)
    lang = {"accept-language": language}
    pages = [
        body(client.get(f"/waitlist/join/{desk.plain.pk}/", headers=lang)),
        body(client.post(f"/waitlist/join/{desk.plain.pk}/", form(reach_by="sms", last_day=""), headers=lang)),
        body(client.get(f"/waitlist/entries/{entry.pk}/", headers=lang)),
        body(client.post(f"/waitlist/entries/{entry.pk}/", {"action": "leave"}, headers=lang)),
        body(client.get(MY_APPOINTMENTS, headers=lang)),
        body(client.get(f"/book/{desk.plain.pk}/times/", headers=lang)),
    ]

    for html in pages:
        assert f'lang="{language}"' in html
        assert english_left_in(html.replace(desk.plain.name, "")) == []
