"""Pure checks for the fields patients type, shared by the API and the pages."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(raw: str, region: str | None = None) -> str:
    """Return the number in E.164, or raise ValidationError with a plain reason.

    `region` is the clinic's country (ISO 3166, e.g. "GB"): a number typed the national way
    there ("07911 123456") is read as that country's. The international form (+44...) is
    always accepted; without a region it is the only one."""
    raw = raw.strip()
    if not raw:
        return ""
    region = (region or "").upper() or None
    if not raw.startswith("+") and region is None:
        raise ValidationError(_("Enter the number with its country code, starting with +, e.g. +447911123456."))
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a phone number we can text.")) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a phone number we can text."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_example(region: str | None) -> str:
    """A mobile number written the way people in `region` type it ("07400 123456" in GB),
    else in the international form: the example a phone field shows."""
    region = (region or "").upper() or None
    number = phonenumbers.example_number_for_type(region or "GB", phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        return "+44 7400 123456"
    style = phonenumbers.PhoneNumberFormat.NATIONAL if region else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> str:
    if value and value not in _zones():
        raise ValidationError(_("Choose a time zone from the list, e.g. Europe/London."))
    return value


def time_zone_choices() -> list[str]:
    return sorted(z for z in _zones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")))
