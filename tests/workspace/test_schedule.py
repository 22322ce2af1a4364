"""Working hours (with breaks) and time off. Overlaps and changes that would strand a
booked visit are refused with clear words and the list of visits."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client

from accounts.models import Patient
from booking.models import PractitionerEvent, TimeOff, WorkingHours
from tests.booking.factories import make_clinic
from tests.workspace.factories import MONDAY, Desk, body, book_plain
from workspace import services as staff_services
from workspace.schedule_rules import Window

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def hours_form(desk: Desk, rows: list[tuple[Any, str, str]], **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "practitioner": str(desk.alex.pk),
        "clinic": str(desk.clinic.pk),
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "40",
    }
    for i, (weekday, start, end) in enumerate(rows):
        data.update({f"hours-{i}-weekday": str(weekday), f"hours-{i}-start": start, f"hours-{i}-end": end})
    return {**data, **extra}


def alex_hours(desk: Desk) -> list[tuple[int, time, time]]:
    return list(
        WorkingHours.objects.filter(practitioner=desk.alex)
        .order_by("weekday", "start")
        .values_list("weekday", "start", "end")
    )


def test_the_schedule_page_shows_hours_by_day(desk: Desk, alex_client: Client) -> None:
    page = body(alex_client.get("/staff/schedule/"))

    assert "Weekly working hours" in page
    assert page.count("09:00\u201317:00") == 7
    assert "Times in Europe/London" in page


def test_hours_with_a_break_are_saved_and_audited(desk: Desk, alex_client: Client) -> None:
    rows = [(0, "09:00", "12:30"), (0, "13:30", "17:00"), (2, "10:00", "16:00"), ("", "", "")]

    response = alex_client.post("/staff/schedule/hours/", hours_form(desk, rows))

    assert response.status_code == 302
    assert alex_hours(desk) == [
        (0, time(9), time(12, 30)),
        (0, time(13, 30), time(17)),
        (2, time(10), time(16)),
    ]
    event = PractitionerEvent.objects.get(action=PractitionerEvent.Action.HOURS_CHANGED)
    assert event.actor_id == desk.alex.user_id
    assert event.data["after"] == ["Monday 09:00-12:30", "Monday 13:30-17:00", "Wednesday 10:00-16:00"]


def test_overlapping_hours_are_refused_with_the_pair_named(desk: Desk, alex_client: Client) -> None:
    before = alex_hours(desk)

    response = alex_client.post(
        "/staff/schedule/hours/", hours_form(desk, [(0, "09:00", "12:00"), (0, "11:00", "14:00")])
    )

    assert response.status_code == 400
    assert "Monday 09:00-12:00 overlaps Monday 11:00-14:00." in body(response)
    assert alex_hours(desk) == before


def test_a_period_that_ends_before_it_starts_is_refused(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post("/staff/schedule/hours/", hours_form(desk, [(0, "17:00", "09:00")]))

    assert response.status_code == 400
    assert "The end must be after the start." in body(response)


def test_a_half_filled_row_is_refused(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post("/staff/schedule/hours/", hours_form(desk, [(0, "09:00", "")]))

    assert response.status_code == 400
    assert "Fill in the day and both times" in body(response)


def test_garbage_times_are_a_clear_error_not_a_crash(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post("/staff/schedule/hours/", hours_form(desk, [(9, "25:99", "nope")]))

    assert response.status_code == 400
    assert "Give a time such as" in body(response)


def test_hours_that_would_strand_a_booked_visit_are_refused_with_the_list(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_plain(desk, patient, desk.at("15:00", MONDAY + timedelta(days=1)))  # Tuesday
    rows = [(d, "09:00", "13:00") for d in range(7)]

    response = alex_client.post("/staff/schedule/hours/", hours_form(desk, rows))

    assert response.status_code == 409
    page = body(response)
    assert "would fall outside the new hours" in page
    assert f"/staff/appointments/{visit.pk}/" in page and "Tuesday, 2 June 2026, 15:00" in page
    assert len(alex_hours(desk)) == 7


def test_hours_at_two_clinics_must_not_overlap(desk: Desk) -> None:
    other = make_clinic()
    desk.alex.clinics.add(other)

    with pytest.raises(staff_services.InvalidInput) as refused:
        staff_services.set_working_hours(
            desk.alex, clinic=other, windows=[Window(0, time(16), time(18))], actor=desk.alex.user
        )
    assert "another clinic" in refused.value.fields["hours"][0]


def test_hours_at_a_clinic_they_do_not_work_at_are_refused(desk: Desk) -> None:
    with pytest.raises(staff_services.InvalidInput):
        staff_services.set_working_hours(
            desk.alex, clinic=make_clinic(), windows=[Window(0, time(9), time(10))], actor=desk.alex.user
        )


def time_off_form(desk: Desk, start: str, end: str, reason: str = "Course") -> dict[str, str]:
    return {
        "practitioner": str(desk.alex.pk),
        "clinic": str(desk.clinic.pk),
        "start": start,
        "end": end,
        "reason": reason,
    }


def test_time_off_is_read_in_the_clinics_zone(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post(
        "/staff/schedule/time-off/", time_off_form(desk, "2026-06-10T09:00", "2026-06-12T17:00")
    )

    assert response.status_code == 302
    off = TimeOff.objects.get()
    assert off.start == desk.at("09:00", MONDAY + timedelta(days=9))
    assert off.reason == "Course"
    assert "10 Jun 2026, 09:00" in body(alex_client.get("/staff/schedule/"))
    assert PractitionerEvent.objects.filter(action=PractitionerEvent.Action.TIME_OFF_ADDED).count() == 1


def test_time_off_that_ends_before_it_starts_is_refused(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post(
        "/staff/schedule/time-off/", time_off_form(desk, "2026-06-12T17:00", "2026-06-10T09:00")
    )

    assert response.status_code == 400
    assert "The end must be after the start." in body(response)
    assert not TimeOff.objects.exists()


def test_time_off_with_a_bad_date_is_a_clear_error(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post("/staff/schedule/time-off/", time_off_form(desk, "soon", ""))

    assert response.status_code == 400
    assert "Give a date and time." in body(response) and "Give the end of the time off." in body(response)


def test_a_wall_time_skipped_by_the_clock_change_is_refused(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post(
        "/staff/schedule/time-off/", time_off_form(desk, "2027-03-28T01:30", "2027-03-28T05:00")
    )

    assert response.status_code == 400
    assert not TimeOff.objects.exists()


def test_time_off_in_the_past_is_refused(desk: Desk, alex_client: Client) -> None:
    response = alex_client.post(
        "/staff/schedule/time-off/", time_off_form(desk, "2026-05-01T09:00", "2026-05-02T09:00")
    )

    assert response.status_code == 400
    assert "already over" in body(response)


def test_time_off_over_a_booked_visit_is_refused_with_the_list(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_plain(desk, patient, desk.at("11:00", MONDAY + timedelta(days=2)))

    response = alex_client.post(
        "/staff/schedule/time-off/", time_off_form(desk, "2026-06-03T00:00", "2026-06-04T00:00")
    )

    assert response.status_code == 409
    assert f"/staff/appointments/{visit.pk}/" in body(response)
    assert not TimeOff.objects.exists()


def test_time_off_is_removed(desk: Desk, alex_client: Client) -> None:
    off = staff_services.add_time_off(
        desk.alex,
        start=desk.at("09:00", MONDAY + timedelta(days=9)),
        end=desk.at("17:00", MONDAY + timedelta(days=9)),
        actor=desk.alex.user,
    )

    response = alex_client.post(
        f"/staff/schedule/time-off/{off.pk}/remove/", {"practitioner": desk.alex.pk, "clinic": desk.clinic.pk}
    )

    assert response.status_code == 302
    assert not TimeOff.objects.exists()
    assert PractitionerEvent.objects.filter(action=PractitionerEvent.Action.TIME_OFF_REMOVED).count() == 1


def test_a_practitioner_cannot_touch_a_colleagues_schedule(desk: Desk, priya_client: Client) -> None:
    off = staff_services.add_time_off(
        desk.alex,
        start=desk.at("09:00", MONDAY + timedelta(days=9)),
        end=desk.at("17:00", MONDAY + timedelta(days=9)),
        actor=desk.alex.user,
    )

    assert priya_client.get(f"/staff/schedule/?practitioner={desk.alex.pk}").status_code == 404
    assert priya_client.post(f"/staff/schedule/time-off/{off.pk}/remove/", {}).status_code == 404
    assert priya_client.post("/staff/schedule/hours/", hours_form(desk, [(0, "09:00", "10:00")])).status_code == 404
    assert TimeOff.objects.exists()


def test_the_clinic_admin_edits_a_practitioners_hours(desk: Desk, admin_client_: Client) -> None:
    page = body(admin_client_.get(f"/staff/schedule/?practitioner={desk.alex.pk}"))
    assert "Alex Morgan at Harbour Physiotherapy" in page

    response = admin_client_.post("/staff/schedule/hours/", hours_form(desk, [(0, "09:00", "12:00")]))

    assert response.status_code == 302
    assert alex_hours(desk) == [(0, time(9), time(12))]
    assert PractitionerEvent.objects.get().actor_id == desk.admin.pk


@pytest.mark.postgres
def test_the_practitioners_audit_cannot_be_edited_on_postgresql(desk: Desk) -> None:
    from django.db import DatabaseError, transaction

    from tests.resources import need_postgres

    need_postgres()
    staff_services.add_time_off(
        desk.alex,
        start=desk.at("09:00", MONDAY + timedelta(days=9)),
        end=desk.at("17:00", MONDAY + timedelta(days=9)),
        actor=desk.alex.user,
    )
    event = PractitionerEvent.objects.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PractitionerEvent.objects.filter(pk=event.pk).update(data={})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PractitionerEvent.objects.filter(pk=event.pk).delete()
