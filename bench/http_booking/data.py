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


def release_bench_holds(clinic: Clinic) -> int:
    """Cancel every hold in the bench clinic (they come from earlier runs), without events."""
    now = timezone.now()
    return Appointment.objects.filter(clinic=clinic, status=Appointment.Status.HELD).update(
        status=Appointment.Status.CANCELLED,
        cancel_reason="bench_cleanup",
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
