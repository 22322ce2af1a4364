"""The booking journey through the pages, with Django's test client, after the hold: details,
health questions, consent, outcome."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient, User
from booking.models import Appointment
from consent.models import ScreeningResponse, SignedConsent
from tests.booking.pages import (
    ANSWERS_BLOCK,
    ANSWERS_CLEAR,
    ANSWERS_REVIEW,
    DETAILS,
    Journey,
    free_slots,
    held,
    hold,
    make_journey_clinic,
    sign_in,
    signature,
    walk_to_consent,
)

pytestmark = pytest.mark.django_db
Status = Appointment.Status


def test_bad_details_are_announced_and_linked_to_their_fields(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    hold(client, journey.needling, free_slots(journey.needling)[0])
    appointment = held(patient)

    page = client.post(f"/appointments/{appointment.pk}/details/", {"legal_name": "", "phone": "0117"})

    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in html
    for field in ("legal_name", "date_of_birth", "phone"):
        assert f'href="#id_{field}"' in html
        assert f'aria-describedby="id_{field}-error"' in html or f'id_{field}-error"' in html


def test_a_treatment_without_needling_is_confirmed_after_the_details(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    hold(client, journey.plain, free_slots(journey.plain)[0])
    appointment = held(patient)

    response = client.post(f"/appointments/{appointment.pk}/details/", DETAILS, follow=True)

    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    html = response.content.decode()
    assert "You&#x27;re booked" in html or "You're booked" in html
    assert f"/appointments/{appointment.pk}/calendar.ics" in html


def test_a_clear_patient_signs_and_is_booked(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)

    page = client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()
    assert "<details" in page and "Bruising" in page and "about 8 in 100 treatments" in page
    assert 'name="ack_read"' in page and 'name="signature_svg"' in page
    response = client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})

    assert response["Location"] == f"/appointments/{pk}/"
    patient.refresh_from_db()
    assert (patient.legal_name, patient.phone) == ("Pat Example", "+447911123456")
    appointment = Appointment.objects.get(pk=pk)
    assert appointment.status == Status.CONFIRMED and appointment.consent is not None
    assert appointment.consent.auth_method == "emailed one-time code, web session"
    done = client.get(f"/appointments/{pk}/").content.decode()
    assert "What happens next" in done and "light meal" in done
    ics = client.get(f"/appointments/{pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_a_review_patient_is_told_their_practitioner_will_check_and_the_booking_shows_as_pending(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_REVIEW)

    client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})

    assert Appointment.objects.get(pk=pk).status == Status.PENDING_REVIEW
    done = client.get(f"/appointments/{pk}/").content.decode()
    assert "your practitioner will check your answers before confirming" in done
    assert "Your practitioner will check this." in done
    mine = client.get("/appointments/").content.decode()
    assert "your practitioner will check your answers before confirming" in mine


def test_a_blocked_patient_is_told_why_and_offered_the_treatment_without_needles(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    slot = free_slots(journey.needling)[0]
    hold(client, journey.needling, slot)
    appointment = held(patient)
    client.post(f"/appointments/{appointment.pk}/details/", DETAILS)

    response = client.post(f"/appointments/{appointment.pk}/screening/", ANSWERS_BLOCK, follow=True)

    html = response.content.decode()
    assert "Needling is not for you now." in html
    assert f"/book/{journey.plain.pk}/times/?practitioner={appointment.practitioner_id}" in html
    assert "+44 117 496 0123" in html
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED, "the time is freed at once"
    consent = client.get(f"/appointments/{appointment.pk}/consent/?screening={ScreeningResponse.objects.get().pk}")
    assert consent.status_code == 302
    assert not SignedConsent.objects.exists()


def test_unanswered_questions_are_listed_and_linked(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    hold(client, journey.needling, free_slots(journey.needling)[0])
    appointment = held(patient)
    client.post(f"/appointments/{appointment.pk}/details/", DETAILS)

    page = client.post(f"/appointments/{appointment.pk}/screening/", {"needle_fear": "maybe"})

    html = page.content.decode()
    assert 'href="#id_needle_fear_0"' in html and 'href="#id_diabetes_0"' in html
    assert "Are you very afraid of needles?: Please choose one of the answers." in html
    assert not ScreeningResponse.objects.exists()


def test_the_screening_waits_for_the_details(client: Client, journey: Journey) -> None:
    nameless = Patient.objects.create(user=User.objects.create_user("n@example.com"))
    sign_in(client, nameless)
    hold(client, journey.needling, free_slots(journey.needling)[0])

    response = client.get(f"/appointments/{held(nameless).pk}/screening/")

    assert response["Location"] == f"/appointments/{held(nameless).pk}/details/"


def test_missing_ticks_and_a_wrong_name_are_put_on_their_fields(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)

    page = client.post(
        f"/appointments/{pk}/consent/", {"screening": screening, "ack_read": "on", "typed_name": "Someone Else"}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#id_ack_asked"' in html and 'href="#id_e_records_accepted"' in html
    assert not SignedConsent.objects.exists()
    page = client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature("Someone Else")})
    assert 'href="#id_typed_name"' in page.content.decode()
    assert "exactly as in your details" in page.content.decode()
    assert not SignedConsent.objects.exists()


def test_a_drawn_signature_is_kept_and_a_bad_one_is_refused_on_its_field(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)

    bad = client.post(
        f"/appointments/{pk}/consent/",
        {"screening": screening, **signature(signature_svg="<svg><script>alert(1)</script></svg>")},
    )
    assert "id_signature_svg-error" in bad.content.decode()
    drawn = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><path d="M10 10 L50 60"/></svg>'
    client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature(signature_svg=drawn)})

    assert "M10 10 L50 60" in SignedConsent.objects.get().signature_svg


def test_signing_twice_makes_one_consent_and_one_booking(client: Client, journey: Journey, patient: Patient) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_REVIEW)

    first = client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})
    second = client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})

    assert first["Location"] == second["Location"] == f"/appointments/{pk}/"
    assert SignedConsent.objects.count() == 1
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_going_back_after_booking_shows_the_booking_not_the_form_again(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})

    for step in ("details/", "screening/", f"consent/?screening={screening}", "health/"):
        response = client.get(f"/appointments/{pk}/{step}")
        assert response.status_code == 302 and response["Location"] == f"/appointments/{pk}/", step
    assert client.post(f"/appointments/{pk}/screening/", ANSWERS_CLEAR).status_code == 302
    assert ScreeningResponse.objects.count() == 1


def test_a_screening_that_is_not_the_patients_own_is_not_accepted(
    client: Client, journey: Journey, patient: Patient, other_patient: Patient
) -> None:
    other = sign_in(Client(), other_patient)
    _, their_screening = walk_to_consent(other, journey, other_patient, ANSWERS_CLEAR)
    sign_in(client, patient)
    pk, _ = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)

    for bad in (str(their_screening), "abc", ""):
        response = client.post(f"/appointments/{pk}/consent/", {"screening": bad, **signature()})
        assert response["Location"] == f"/appointments/{pk}/screening/"
    assert not SignedConsent.objects.filter(patient=patient).exists()


def test_a_clinic_without_a_published_questionnaire_says_to_call(client: Client, patient: Patient) -> None:
    journey = make_journey_clinic()
    journey.clinic.slug = "no-documents-yet"
    journey.clinic.save()
    sign_in(client, patient)
    hold(client, journey.needling, free_slots(journey.needling)[0])
    client.post(f"/appointments/{held(patient).pk}/details/", DETAILS)

    page = client.get(f"/appointments/{held(patient).pk}/screening/")

    assert page.status_code == 503 and b"+44 117 496 0123" in page.content
