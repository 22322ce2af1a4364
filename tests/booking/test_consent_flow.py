"""Screening outcomes drive the appointment: clear confirms, review waits, block refuses."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Patient, User
from booking import consent_flow, errors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from consent import selectors as consent_selectors
from consent import services as consent_services
from consent.models import ConsentFormVersion, ConsentWithdrawal, QuestionnaireVersion, ScreeningReview, SignedConsent
from tests.booking.factories import make_practitioner, make_type
from tests.booking.signing import hold, screen, sign_clear, signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def talking(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=45, needling=False, name="Assessment without needling")


@pytest.fixture
def pin(clinic: Clinic, needling: AppointmentType, talking: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Pin", weekdays=range(7))


def test_a_clear_screening_confirms_the_held_appointment(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(patient, needling, pin)
    screening = screen(patient, questionnaire, clinic)

    consent = consent_flow.sign_for_appointment(
        patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
    )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    assert (appointment.consent, appointment.screening) == (consent, screening)
    assert "Dr Pin holds a dry-needling certification" in consent.render_context["practitioner_disclosure"]
    actions = list(appointment.events.values_list("action", flat=True))
    assert actions == ["held", "consent_linked", "confirmed"]


def test_a_review_screening_waits_for_the_practitioner(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(patient, needling, pin)
    screening = screen(patient, questionnaire, clinic, diabetes="yes")

    consent_flow.sign_for_appointment(
        patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
    )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.PENDING_REVIEW
    assert appointment.hold_expires_at is None, "a pending review does not run out like a hold"
    with pytest.raises(consent_services.ConsentError):
        consent_flow.decide_review(appointment, reviewer=pin.user, approve=True, note="  ")
    assert appointment.events.filter(action=AppointmentEvent.Action.CONFIRMED).count() == 0

    consent_flow.decide_review(appointment, reviewer=pin.user, approve=True, note="Diabetes well controlled.")

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    review = ScreeningReview.objects.get(screening=screening)
    assert (review.decision, review.reviewer) == ("approved", pin.user)


def test_declining_a_review_frees_the_slot(
    patient: Patient,
    other_patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(patient, needling, pin)
    screening = screen(patient, questionnaire, clinic, diabetes="yes")
    consent_flow.sign_for_appointment(
        patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
    )

    consent_flow.decide_review(appointment, reviewer=pin.user, approve=False, note="Please see your GP first.")

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.DECLINED
    assert appointment.cancel_reason == "Please see your GP first."
    assert hold(other_patient, needling, pin).start == appointment.start, "the slot is free again"


def test_a_blocked_screening_cannot_confirm_and_offers_non_needling(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    talking: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(patient, needling, pin)
    screening = screen(patient, questionnaire, clinic, needle_fear="yes")

    with pytest.raises(consent_flow.ScreeningBlocked):
        consent_flow.sign_for_appointment(
            patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
        )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HELD
    assert list(consent_flow.non_needling_alternatives(clinic)) == [talking]


def test_a_minor_needs_a_guardian(
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    from tests.accounts.factories import make_patient

    today = timezone.localdate()
    child = make_patient(legal_name="Kim Young", date_of_birth=date(today.year - 15, 1, 1))
    appointment = hold(child, needling, pin)
    screening = screen(child, questionnaire, clinic)
    assert screening.outcome == "review", "a minor is always reviewed"

    with pytest.raises(consent_services.ConsentError) as refusal:
        consent_flow.sign_for_appointment(
            child, appointment_id=appointment.pk, request=signature(form, screening, child)
        )
    assert "guardian" in refusal.value.fields

    guardian = consent_services.Guardian(
        relationship="Father", authority="I have parental responsibility.", minor_assent=True
    )
    consent = consent_flow.sign_for_appointment(
        child,
        appointment_id=appointment.pk,
        request=signature(form, screening, child, guardian=guardian, typed_name="Lee Young"),
    )
    assert consent.signer_role == "guardian"


def test_a_later_visit_is_covered_when_health_is_unchanged(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    first = hold(patient, needling, pin, days=2)
    consent = sign_clear(patient, first, form, questionnaire, clinic)
    later = hold(patient, needling, pin, days=9)

    confirmed = consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=True)

    assert confirmed.status == Appointment.Status.CONFIRMED
    later.refresh_from_db()
    assert later.consent == consent


def test_the_cover_for_a_later_visit_holds_only_with_the_practitioner_signed_for_at_one_query_more(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    first = hold(patient, needling, pin, days=2)
    consent = sign_clear(patient, first, form, questionnaire, clinic)
    colleague = make_practitioner(clinic, name="Dr Quill", weekdays=range(7))
    with_pin, with_colleague = hold(patient, needling, pin, days=9), hold(patient, needling, colleague, days=10)
    valid_since = clinic.consent_valid_since(with_pin.start)

    with CaptureQueriesContext(connection) as bare:
        consent_selectors.consent_cover(patient, scope=clinic.slug, valid_since=valid_since)
    with CaptureQueriesContext(connection) as narrowed:
        cover = consent_flow.existing_cover(patient, with_pin)

    assert cover is not None and cover.consent == consent
    assert len(narrowed) == len(bare) + 1
    assert consent_flow.existing_cover(patient, with_colleague) is None
    assert consent_flow.signed_for_practitioner(consent) == pin.pk


def test_a_change_in_health_ends_the_consent(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    first = hold(patient, needling, pin, days=2)
    consent = sign_clear(patient, first, form, questionnaire, clinic)
    later = hold(patient, needling, pin, days=9)

    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=False)

    assert ConsentWithdrawal.objects.get(consent=consent).reason == ConsentWithdrawal.Reason.HEALTH_CHANGED
    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=later.pk, health_unchanged=True)


def test_a_consent_older_than_the_validity_period_covers_nothing(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    first = hold(patient, needling, pin, days=2)
    sign_clear(patient, first, form, questionnaire, clinic)
    Clinic.objects.filter(pk=clinic.pk).update(consent_validity_months=1)
    far = hold(patient, needling, pin, days=45)

    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=far.pk, health_unchanged=True)


def test_withdrawing_sends_future_visits_back_to_pending(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(patient, needling, pin)
    consent = sign_clear(patient, appointment, form, questionnaire, clinic)

    consent_flow.withdraw(consent, by=patient.user, note="Changed my mind")

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.PENDING_REVIEW
    assert appointment.events.filter(action=AppointmentEvent.Action.CONSENT_ENDED).exists()
    with pytest.raises(consent_flow.ConsentRequired):
        consent_flow.decide_review(appointment, reviewer=pin.user, approve=True, note="ok")


def test_a_non_needling_appointment_needs_no_consent(
    patient: Patient, pin: Practitioner, talking: AppointmentType
) -> None:
    appointment = hold(patient, talking, pin)

    with pytest.raises(errors.InvalidTransition):
        consent_flow.confirm_with_existing_consent(patient, appointment_id=appointment.pk, health_unchanged=True)


def test_another_patients_appointment_is_unknown(
    patient: Patient,
    other_patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(other_patient, needling, pin)

    with pytest.raises(errors.BookingError) as refusal:
        sign_clear(patient, appointment, form, questionnaire, clinic)
    assert refusal.value.code == "not_found"


def test_staff_reviewer_is_recorded(clinic_admin: User) -> None:
    assert clinic_admin.role == "clinic_admin"


def test_needling_cannot_be_confirmed_without_a_consent(
    patient: Patient, pin: Practitioner, needling: AppointmentType
) -> None:
    appointment = hold(patient, needling, pin)

    with pytest.raises(errors.BookingError) as refusal:
        services.confirm_appointment(appointment, actor=pin.user)

    assert refusal.value.code == "consent_required"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HELD


def test_a_second_signature_for_the_same_visit_is_refused(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    appointment = hold(patient, needling, pin)
    screening = screen(patient, questionnaire, clinic, diabetes="yes")
    consent_flow.sign_for_appointment(
        patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
    )

    with pytest.raises(errors.InvalidTransition) as refusal:
        consent_flow.sign_for_appointment(
            patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
        )

    assert refusal.value.code == "already_signed"
    assert SignedConsent.objects.filter(patient=patient).count() == 1
