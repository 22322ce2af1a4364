"""The base of every service's refusal: a code, a status and words the person can act on.

booking.errors.BookingError (and the errors of the apps above booking, which subclass it)
derive from Refusal, so core/rest.py can answer any refusal that reaches DRF in the API's one
error shape (`code`, `detail`, `fields`), never a 500, even where a view forgot to map it.
Views still map their refusals themselves where they know a field to name."""

from __future__ import annotations


class Refusal(Exception):
    code = "refused"
    status = 409
    message = ""
    # A refusal of named fields (care.errors.InvalidInput) carries them as `fields`.
