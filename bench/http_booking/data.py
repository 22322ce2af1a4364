"""Data set-up in the bench database: patient tokens, holds left by earlier runs, patients free at a time."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.utils import timezone
from rest_framework.authtoken.models import Token

from booking.models import Appointment, Clinic


def tokens_for_patients(clinic: Clinic) -> dict[int, str]:
    """patient id -> token key, creating the missing tokens in bulk."""
    from accounts.models import Patient

    patients = dict(Patient.objects.filter(user__email__endswith="@bench.acus.example").values_list("user_id", "id"))
    have = dict(Token.objects.filter(user_id__in=patients).values_list("user_id", "key"))
    missing = [Token(key=secrets.token_hex(20), user_id=uid) for uid in patients if uid not in have]
    Token.objects.bulk_create(missing, batch_size=2000)
    have.update({t.user_id: t.key for t in missing})
    return {patients[uid]: key for uid, key in have.items()}


RELEASED = "bench_cleanup"  # the cancel_reason of a hold the bench released


def release_bench_holds(clinic: Clinic, *, made_before: datetime | None = None) -> int:
    """Cancel the holds in the bench clinic (every one, or those made before `made_before`),
    without events, as their expiry would free their time."""
    now = timezone.now()
    holds = Appointment.objects.filter(clinic=clinic, status=Appointment.Status.HELD)
    if made_before is not None:
        holds = holds.filter(created_at__lt=made_before)
    return holds.update(
        status=Appointment.Status.CANCELLED,
        cancel_reason=RELEASED,
        cancelled_at=now,
        hold_expires_at=None,
        updated_at=now,
    )


def patients_free_during(start: datetime, end: datetime, tokens: dict[int, str]) -> list[int]:
    busy = set(
        Appointment.objects.filter(
            status__in=Appointment.LIVE, start__lt=end + timedelta(hours=2), end__gt=start - timedelta(hours=2)
        ).values_list("patient_id", flat=True)
    )
    return sorted(pid for pid in tokens if pid not in busy)
