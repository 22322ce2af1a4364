"""Helpers the workspace pages share: the signed-in staff member, their appointment
(anyone else's is a 404), dates from the query string, and rendering with the nav."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from booking.models import Appointment, Clinic
from workspace.selectors import visibility


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_verified_required let only staff in
    return request.user


def appointment_or_404(request: HttpRequest, pk: int) -> Appointment:
    return visibility.visible_appointment(user_of(request), pk)


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def parse_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def home_zone(clinics: list[Clinic]) -> ZoneInfo:
    """The zone a day starts and ends in: the first clinic's."""
    return clinics[0].zone if clinics else ZoneInfo(settings.TIME_ZONE_DEFAULT_CLINIC)


def page(request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"staff_section": section, **context}, status=status)
