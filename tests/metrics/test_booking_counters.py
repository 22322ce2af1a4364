"""A booking moves the counters once it commits; one rolled back or refused moves nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import errors, services
from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.metrics.scrape import scrape


@pytest.fixture
def massage(db: None) -> AppointmentType:
    clinic: Clinic = make_clinic(name="Harbour Physiotherapy")
    return make_type(clinic, name="Massage", minutes=60)


@pytest.fixture
def alex(massage: AppointmentType) -> Practitioner:
    return make_practitioner(massage.clinic, name="Alex Morgan", weekdays=range(7))


def in_days(days: int, hour: int = 10) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour), tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.django_db(transaction=True)
def test_a_booking_through_the_api_moves_the_hold_and_booking_counters(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner
) -> None:
    web = Client()
    before = scrape(web)

    held = patient_api.post(
        "/api/v1/appointments",
        {"appointment_type": massage.pk, "start": in_days(3).isoformat(), "practitioner": alex.pk},
        format="json",
    )
    assert held.status_code == 201, held.json()
    confirmed = patient_api.post(f"/api/v1/appointments/{held.json()['id']}/confirm", format="json")
    assert confirmed.status_code == 200, confirmed.json()
    after = scrape(web)

    assert after.value("acus_holds_total") == before.value("acus_holds_total") + 1
    assert after.value("acus_bookings_confirmed_total") == before.value("acus_bookings_confirmed_total") + 1
    route = "api/v1/appointments"
    requests = after.value("acus_http_requests_total", method="POST", route=route, status="2xx")
    assert requests == before.value("acus_http_requests_total", method="POST", route=route, status="2xx") + 1
    confirm_route = "api/v1/appointments/<int:pk>/confirm"
    assert after.value("acus_http_request_duration_seconds_count", route=confirm_route) >= 1
    assert after.value("acus_http_db_queries_total", route=route) > before.value(
        "acus_http_db_queries_total", route=route
    )
    assert after.value("acus_http_db_seconds_total", route=route) > before.value(
        "acus_http_db_seconds_total", route=route
    )


@pytest.mark.django_db(transaction=True)
def test_a_refused_hold_and_a_rolled_back_booking_count_nothing(
    patient: Patient, other_patient: Patient, patient_api: APIClient, massage: AppointmentType, alex: Practitioner
) -> None:
    services.hold_appointment(other_patient, appointment_type=massage, practitioner=alex, start=in_days(4))
    web = Client()
    before = scrape(web)

    refused = patient_api.post(
        "/api/v1/appointments",
        {"appointment_type": massage.pk, "start": in_days(4).isoformat(), "practitioner": alex.pk},
        format="json",
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        appointment = services.hold_appointment(patient, appointment_type=massage, practitioner=alex, start=in_days(5))
        services.confirm_appointment(appointment, actor=patient.user)
        raise RuntimeError("the caller's transaction fails after the booking")
    after = scrape(web)

    assert refused.status_code == 409, refused.json()
    assert after.value("acus_holds_total") == before.value("acus_holds_total")
    assert after.value("acus_bookings_confirmed_total") == before.value("acus_bookings_confirmed_total")
    route = "api/v1/appointments"
    conflicts = after.value("acus_http_requests_total", method="POST", route=route, status="4xx")
    assert conflicts == before.value("acus_http_requests_total", method="POST", route=route, status="4xx") + 1


@pytest.mark.django_db(transaction=True)
def test_cancelling_counts_who_decided_and_expired_holds_count_apart(
    patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    web = Client()
    booked = services.confirm_appointment(
        services.hold_appointment(patient, appointment_type=massage, practitioner=alex, start=in_days(6)),
        actor=patient.user,
    )
    stale = services.hold_appointment(patient, appointment_type=massage, practitioner=alex, start=in_days(7))
    before = scrape(web)

    services.cancel_appointment(booked, actor=patient.user)
    with pytest.raises(errors.InvalidTransition):
        services.cancel_appointment(booked, actor=patient.user)  # already cancelled: refused, not counted
    assert stale.hold_expires_at is not None
    released = services.release_expired_holds(now=stale.hold_expires_at + timedelta(seconds=1))
    after = scrape(web)

    assert released == 1
    assert (
        after.value("acus_cancellations_total", by="patient")
        == before.value("acus_cancellations_total", by="patient") + 1
    )
    assert after.value("acus_cancellations_total", by="staff") == before.value("acus_cancellations_total", by="staff")
    assert after.value("acus_holds_expired_total") == before.value("acus_holds_expired_total") + 1
