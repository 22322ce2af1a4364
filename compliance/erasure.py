"""Carrying out a patient's erasure request: anonymise what may be, keep what must be.

Signed consents, screenings, appointments and their audit stay whole (they are
append-only and, inside the retention period, required); the mutable profile is
anonymised, the account closed, future visits cancelled through booking.services,
and an ErasureRequest row lists what was kept and until when."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp import devices_for_user
from rest_framework.authtoken.models import Token

from accounts.models import Patient, User
from booking import services
from booking.models import ErasureRequest
from calendars.services import copies as calendar_copies
from compliance.retention import ErasurePlan, erasure_plan
from core import formats

# Stored values, kept in English: the cancel reason is the appointment's record (booking's
# messages to the patient word the cancellation themselves), the name a placeholder.
CANCEL_REASON = "The patient asked for their personal data to be erased."
ERASED_NAME = "Erased patient"


class ErasureRefused(Exception):
    pass


def erased_email(user: User) -> str:
    # .invalid never resolves (RFC 2606), so nothing can ever be sent there.
    return f"erased-{user.pk}@erased.invalid"


def carry_out_erasure(
    patient: Patient, *, by: User, received_on: date, note: str = "", now: datetime | None = None
) -> ErasureRequest:
    now = now or timezone.now()
    with transaction.atomic():
        patient = Patient.objects.select_for_update().select_related("user").get(pk=patient.pk)
        done = ErasureRequest.objects.filter(patient=patient).first()
        if done is not None:
            raise ErasureRefused(
                _("This patient's data was already erased on %(when)s.")
                % {"when": formats.long_date(done.carried_out_at.astimezone(UTC))}
            )
        plan = erasure_plan(patient, now=now)
        cancelled = [
            services.cancel_appointment(appointment, actor=by, reason=CANCEL_REASON, override=True, now=now).pk
            for appointment in plan.future_appointments
        ]
        _anonymise(patient, plan)
        _close_account(patient.user)
        # The events of their past visits in practitioners' calendars stop showing the name, even
        # the legal name the signed records keep (the writer reads the ErasureRequest made below).
        calendar_copies.requeue_patient(patient_id=patient.pk)
        kept = [k.as_dict() for k in plan.kept]
        if plan.keeps_identity:
            kept.append(
                {
                    "what": gettext_noop("Legal name and date of birth, which the signed records need"),
                    "clinic": "",
                    "count": 1,
                    "until": plan.identity_until.isoformat() if plan.identity_until else "",
                    "reason": gettext_noop("kept for as long as any record above must be kept"),
                    "inside": True,
                }
            )
        return ErasureRequest.objects.create(
            patient=patient,
            requested_by=by,
            received_on=received_on,
            carried_out_at=now,
            note=note.strip(),
            anonymised=[{"what": what} for what in plan.anonymise],
            kept=kept,
            cancelled_appointments=cancelled,
        )


def _anonymise(patient: Patient, plan: ErasurePlan) -> None:
    patient.preferred_name = ""
    patient.phone = ""
    patient.time_zone = ""
    patient.notify_email = False
    patient.notify_sms = False
    fields = ["preferred_name", "phone", "time_zone", "notify_email", "notify_sms", "updated_at"]
    if not plan.keeps_identity:
        patient.legal_name = ERASED_NAME
        patient.date_of_birth = None
        fields += ["legal_name", "date_of_birth"]
    patient.save(update_fields=fields)


def _close_account(user: User) -> None:
    user.email = erased_email(user)
    user.is_active = False
    user.set_unusable_password()  # also ends every session: their hash no longer matches
    user.save(update_fields=["email", "is_active", "password"])
    Token.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
