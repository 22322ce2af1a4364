"""The patient a client key books for, named by email AND date of birth (never the email alone)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import codes as sign_in_codes
from accounts.models import AccountEvent, Patient, User, normalise_email
from booking import errors
from interop.models import ClientKey
from interop.parameters import PatientDetails


class PatientMismatch(errors.BookingError):
    code = "patient_mismatch"
    status = 422


def _refused() -> PatientMismatch:
    # The same words whatever did not match: the answer must not tell a client whether an
    # address has an account, or whose birthday it is.
    return PatientMismatch(
        _("These details do not match a patient we can book for. Check the email and date of birth.")
    )


def patient_for_key(key: ClientKey, *, details: PatientDetails, retried: bool = False) -> Patient:
    """The patient with this email and date of birth, or a new one when nobody has the email.

    Created like a first sign-in (a patient account, no password; they sign in with an emailed
    code to see it), and the creation is audited with the key that asked for it."""
    email = normalise_email(details.email)
    user = User.objects.filter(email__iexact=email).select_related("patient").first()
    if user is not None:
        patient = getattr(user, "patient", None)
        if user.is_clinic_staff or not user.is_active or patient is None or patient.date_of_birth != details.birth_date:
            raise _refused()
        return patient
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, role=User.Role.PATIENT)
            patient = Patient.objects.create(user=user, date_of_birth=details.birth_date, legal_name=details.name)
            AccountEvent.objects.create(
                action=AccountEvent.Action.PATIENT_CREATED,
                user=user,
                email_hash=sign_in_codes.email_hash(email),
                data={"client_key": key.pk},
            )
    except IntegrityError:
        if retried:
            raise
        # Created a moment ago by another call: match it as above.
        return patient_for_key(key, details=details, retried=True)
    return patient
