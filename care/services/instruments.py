"""A clinic adds an outcome-measure instrument it is licensed to use (NDI, ODI, DASH, LEFS...).

Acus ships no copyrighted item wording (shared/clinical/FACTS.md section 6): the clinic loads
the definition in care.instruments' format and a member of its staff confirms the clinic holds
a licence for whatever wording it contains; who confirmed is kept on the row. docs/instruments.md
has an example. Every refusal is an InvalidInput naming its field, for the API's 400."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking.models import Clinic
from care.builtin_instruments import BUILT_IN
from care.errors import InvalidInput
from care.instruments import InstrumentError, instrument_from_dict
from care.models import ClinicInstrument

SCORE_LIMIT = 9999


def staff_clinics(user: User) -> Any:
    """The clinics `user` works at (as a practitioner) or runs (as an admin)."""
    if not user.is_clinic_staff:
        return Clinic.objects.none()
    return Clinic.objects.filter(Q(admins=user) | Q(practitioners__user=user)).distinct()


def add_instrument(*, clinic: Clinic, definition: Any, licence_confirmed: bool, actor: User) -> ClinicInstrument:
    """The clinic's new instrument, added by `actor`, who confirms the clinic's licence for it."""
    fields: dict[str, list[str]] = {}
    if not staff_clinics(actor).filter(pk=clinic.pk).exists():
        fields["clinic"] = [_("You do not work at this clinic.")]
    if licence_confirmed is not True:
        fields["licence_confirmed"] = [
            _("Confirm that the clinic holds a licence to use this instrument and its wording.")
        ]
    code = ""
    try:
        instrument = instrument_from_dict(definition)
    except InstrumentError as exc:
        # The message is the format's own (English, technical): it names the key to fix.
        fields["definition"] = [str(exc)]
    else:
        code = instrument.code
        low, high = instrument.range.min, instrument.range.max
        if max(abs(low), abs(high), high - low) > SCORE_LIMIT:
            # OutcomeScore keeps scores and changes in 6 digits, 2 after the point.
            fields["definition"] = [_("Scores must stay within ±%(limit)s.") % {"limit": SCORE_LIMIT}]
        elif code in BUILT_IN:
            fields["definition"] = [_("%(code)s is built in: choose another code.") % {"code": code}]
    if fields:
        raise InvalidInput(fields)
    taken = [_("This clinic already has an instrument with the code %(code)s.") % {"code": code}]
    if ClinicInstrument.objects.filter(clinic=clinic, code=code).exists():
        raise InvalidInput({"definition": taken})
    try:
        with transaction.atomic():
            return ClinicInstrument.objects.create(
                clinic=clinic,
                code=code,
                definition=definition,
                licence_confirmed_by=actor,
                active=True,
                created_at=timezone.now(),
            )
    except IntegrityError:  # two staff adding the same code at once: the constraint decides
        raise InvalidInput({"definition": taken}) from None
