"""Credentials with their expiry dates: a practitioner's own, and a clinic admin's
practitioners', each marked current, expiring (within 30 days) or expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import staff_verified_required
from booking.models import Credential
from workspace import expiry
from workspace.selectors import staffing, visibility
from workspace.views.base import home_zone, page, user_of


@dataclass(frozen=True)
class CredentialRow:
    credential: Credential
    state: str  # valid, expiring, expired, not_verified, not_started
    days_left: int | None


def _state(credential: Credential, *, today: date, expiring: set[int]) -> CredentialRow:
    days = (credential.valid_until - today).days if credential.valid_until else None
    if credential.verified_at is None:
        state = "not_verified"
    elif credential.valid_from > today:
        state = "not_started"
    elif days is not None and days < 0:
        state = "expired"
    elif credential.pk in expiring:
        state = "expiring"
    else:
        state = "valid"
    return CredentialRow(credential, state, days)


@staff_verified_required
@require_GET
def credentials(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    people = visibility.manageable_practitioners(user)
    today = timezone.localdate(timezone=home_zone(list(visibility.staff_clinics(user))))
    expiring = [c for p in people for c in expiry.expiring_credentials(today=today, practitioner=p)]
    ids = {c.pk for c in expiring if c.valid_until is not None and c.valid_until >= today}
    rows = [_state(c, today=today, expiring=ids) for c in staffing.credentials_of(people)]
    context = {
        "rows": rows,
        "warnings": [r for r in rows if r.state == "expiring"],
        "expired": [r for r in rows if r.state == "expired" and r.credential.kind == Credential.Kind.DRY_NEEDLING],
        "several": len(people) > 1,
        "today": today,
        "warning_days": expiry.EXPIRY_WARNING_DAYS,
    }
    return page(request, "workspace/credentials.html", "credentials", context)
