"""After the journey: a guardian signs for a minor, and a later visit asks "has your health
changed?" or, with another practitioner, for new answers and a new signature."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, Practitioner
from consent.models import ConsentWithdrawal, SignedConsent
from tests.accounts.factories import make_patient
from tests.booking.pages import (
    ANSWERS_CLEAR,
    DETAILS,
    Journey,
    book_needling,
    free_slots,
    held,
    hold,
    screening_id,
    sign_in,
    signature,
    walk_to_consent,
)

pytestmark = pytest.mark.django_db
Status = Appointment.Status


# --- Guardians and minors ----------------------------------------------------------------------


def test_a_guardian_signs_for_a_minor_who_assents_and_a_practitioner_reviews(client: Client, journey: Journey) -> None:
    born = timezone.localdate() - timedelta(days=365 * 12)
    child = make_patient("kid@example.com", legal_name="Sam Young", date_of_birth=born)
    sign_in(client, child)
    details = {**DETAILS, "legal_name": "Sam Young", "date_of_birth": born.isoformat()}
    pk, screening = walk_to_consent(client, journey, child, ANSWERS_CLEAR, details)

    page = client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()
    assert "Parent or guardian" in page and "Sam Young is under 18" in page
    missing = client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature("Jo Young")})
    assert 'href="#id_guardian_relationship"' in missing.content.decode()
    assert 'href="#id_minor_assent"' in missing.content.decode()

    client.post(
        f"/appointments/{pk}/consent/",
        {
            "screening": screening,
            **signature("Jo Young"),
            "guardian_relationship": "Mother",
            "guardian_authority": "on",
            "minor_assent": "on",
        },
    )

    consent = SignedConsent.objects.get()
    assert (consent.signer_role, consent.typed_name, consent.minor_assent) == ("guardian", "Jo Young", True)
    assert consent.guardian_relationship == "Mother"
    assert Appointment.objects.get(pk=pk).status == Status.PENDING_REVIEW


# --- A later visit: has your health changed? -------------------------------------------------------


def hold_later_visit(
    client: Client, journey: Journey, patient: Patient, first: Appointment, practitioner: Practitioner
) -> Appointment:
    """Hold a needling visit with this practitioner, an hour or more after the first visit."""
    slot = next(
        s for s in free_slots(journey.needling, practitioner, limit=50) if s.start >= first.end + timedelta(hours=1)
    )
    assert hold(client, journey.needling, slot, who=str(practitioner.pk), token="second-visit-1234").status_code == 302
    second = held(patient)
    assert second.practitioner_id == practitioner.pk
    return second


def test_a_later_visit_asks_whether_health_changed_and_no_change_confirms_it(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    first = book_needling(client, journey, patient)
    second = hold_later_visit(client, journey, patient, first, first.practitioner)

    response = client.post(f"/appointments/{second.pk}/details/", DETAILS)
    assert response["Location"] == f"/appointments/{second.pk}/health/"
    assert b"Has your health changed since you signed?" in client.get(response["Location"]).content
    client.post(f"/appointments/{second.pk}/health/", {"changed": "no"})

    second.refresh_from_db()
    assert second.status == Status.CONFIRMED and second.consent_id == first.consent_id


def test_a_change_in_health_ends_the_consent_and_asks_for_new_answers(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    first = book_needling(client, journey, patient)
    second = hold_later_visit(client, journey, patient, first, first.practitioner)
    client.post(f"/appointments/{second.pk}/details/", DETAILS)

    empty = client.post(f"/appointments/{second.pk}/health/", {})
    assert 'href="#id_changed_0"' in empty.content.decode()
    response = client.post(f"/appointments/{second.pk}/health/", {"changed": "yes"})

    assert response["Location"] == f"/appointments/{second.pk}/screening/"
    assert ConsentWithdrawal.objects.filter(consent_id=first.consent_id).exists()
    assert Appointment.objects.get(pk=second.pk).status == Status.HELD


def test_a_later_visit_with_another_practitioner_asks_for_new_answers_and_a_new_signature(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    first = book_needling(client, journey, patient)
    colleague = journey.priya if first.practitioner_id == journey.alex.pk else journey.alex
    second = hold_later_visit(client, journey, patient, first, colleague)

    response = client.post(f"/appointments/{second.pk}/details/", DETAILS)
    assert response["Location"] == f"/appointments/{second.pk}/screening/"
    assert client.get(f"/appointments/{second.pk}/health/")["Location"] == f"/appointments/{second.pk}/screening/"
    answered = client.post(f"/appointments/{second.pk}/screening/", ANSWERS_CLEAR)
    client.post(f"/appointments/{second.pk}/consent/", {"screening": screening_id(answered), **signature()})

    second.refresh_from_db()
    assert second.status == Status.CONFIRMED
    assert second.consent_id is not None and second.consent_id != first.consent_id
    assert SignedConsent.objects.get(pk=second.consent_id).render_context["practitioner_name"] == colleague.display_name
    assert not ConsentWithdrawal.objects.filter(consent_id=first.consent_id).exists(), "still good for the first"
