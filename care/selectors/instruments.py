"""Which outcome-measure instruments a clinic may use: the built-in NPRS and PSFS, and the
clinic's own active instruments (care.models.ClinicInstrument), each parsed from its stored
definition by care.instruments.instrument_from_dict.

A stored definition was checked when it was added (care.services.instruments); parsing it again
here keeps one source of truth for the rules, and a row that no longer parses is reported as
unknown rather than crashing a page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from booking.models import Clinic
from care.builtin_instruments import BUILT_IN
from care.instruments import Instrument, InstrumentError, instrument_from_dict
from care.models import ClinicInstrument


class UnknownInstrument(LookupError):
    """No instrument with this code at this clinic; the message says so in the caller's language."""

    def __init__(self, code: str) -> None:
        super().__init__(_("This clinic has no outcome measure %(code)s.") % {"code": code})
        self.code = code


def clinic_instrument_rows(clinic: Clinic) -> list[ClinicInstrument]:
    return list(ClinicInstrument.objects.filter(clinic=clinic, active=True).order_by("code"))


def instrument_for(clinic: Clinic, code: str) -> Instrument:
    """The instrument with this code the clinic may use; UnknownInstrument if none."""
    if code in BUILT_IN:
        return BUILT_IN[code]
    row = ClinicInstrument.objects.filter(clinic=clinic, code=code, active=True).first()
    if row is None:
        raise UnknownInstrument(code)
    try:
        return instrument_from_dict(row.definition)
    except InstrumentError:
        raise UnknownInstrument(code) from None


def instruments_for(clinic: Clinic) -> list[Instrument]:
    """Every instrument the clinic may use: the built-in ones first, then its own by code."""
    found = list(BUILT_IN.values())
    for row in clinic_instrument_rows(clinic):
        try:
            found.append(instrument_from_dict(row.definition))
        except InstrumentError:
            continue  # checked on the way in; a row edited by hand into nonsense is left out
    return found


def known_codes(clinic: Clinic) -> set[str]:
    return set(BUILT_IN) | {row.code for row in clinic_instrument_rows(clinic)}
