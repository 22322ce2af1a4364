"""Keeping the SMART Scheduling Links files current: generate and store a clinic's files, mark
them changed after a commit that alters free time, and regenerate what is due.

Debounced: a change only stamps `changed_at` (after commit, one UPDATE); the beat job
(interop.publish, every minute) regenerates each due clinic once however many bookings came in
that minute. Due means: its data changed after the files were generated; a calendar of one of
its practitioners synced since (busy time read without any hook in calendars: one EXISTS in the
beat query, nothing added to the sync's path); or the files are older than REFRESH, because
time alone moves the notice edge and the horizon (and edits made in the Django admin send no
news)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from booking.models import Clinic
from calendars.models import Connection
from interop import bulk
from interop.models import PublishedFile

REFRESH = bulk.MARGIN  # files older than this are regenerated (bulk leaves out starts this close)
Kind = PublishedFile.Kind


def etag_of(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def published_clinics() -> list[Clinic]:
    """Clinics with a treatment patients can book (the others would publish empty files)."""
    return list(Clinic.objects.filter(appointment_types__active=True).distinct().order_by("pk"))


def publish_clinic(clinic: Clinic, *, now: datetime | None = None) -> dict[str, PublishedFile]:
    """Generate and store the clinic's three files. Safe to run twice at once: a run never
    overwrites a file generated from newer data than its own."""
    started = now or timezone.now()
    bodies = bulk.clinic_files(clinic, now=started)
    stored: dict[str, PublishedFile] = {}
    for kind, body in bodies.items():
        fields = {"body": body, "etag": etag_of(body), "generated_at": started}
        row, created = PublishedFile.objects.get_or_create(clinic=clinic, kind=kind, defaults=fields)
        if not created:
            PublishedFile.objects.filter(pk=row.pk, generated_at__lte=started).update(**fields)
            row.refresh_from_db()
        stored[kind] = row
    return stored


def ensure_published(clinics: Iterable[Clinic], *, now: datetime | None = None) -> list[PublishedFile]:
    """Every file of these clinics, generating those missing (the first manifest request)."""
    clinics = list(clinics)
    rows = list(PublishedFile.objects.filter(clinic__in=clinics).defer("body"))
    have = {(r.clinic_id, r.kind) for r in rows}
    for clinic in clinics:
        if any((clinic.pk, kind) not in have for kind in Kind.values):
            publish_clinic(clinic, now=now)
    return list(PublishedFile.objects.filter(clinic__in=clinics).defer("body").order_by("clinic_id", "kind"))


def mark_changed(*, clinic_ids: Iterable[int] = (), practitioner_id: int | None = None) -> None:
    """After the caller's transaction commits, stamp the files of these clinics (or of every
    clinic the practitioner works at) as changed. Rolled back with it, otherwise."""
    ids = set(clinic_ids)

    def stamp() -> None:
        where = Q(clinic_id__in=ids)
        if practitioner_id is not None:
            where |= Q(clinic__practitioners=practitioner_id)
        PublishedFile.objects.filter(where).update(changed_at=timezone.now())

    transaction.on_commit(stamp)


def due_clinic_ids(*, now: datetime) -> list[int]:
    synced = Connection.objects.filter(
        practitioner__clinics=OuterRef("clinic_id"), last_success_at__gt=OuterRef("generated_at")
    )
    due = PublishedFile.objects.filter(kind=Kind.SLOT, clinic__isnull=False).filter(
        Q(changed_at__gt=F("generated_at")) | Q(generated_at__lt=now - REFRESH) | Exists(synced)
    )
    return sorted(set(due.values_list("clinic_id", flat=True)))


def publish_due(*, now: datetime | None = None) -> int:
    """Regenerate every clinic whose files are due; the number regenerated."""
    now = now or timezone.now()
    clinics = Clinic.objects.filter(pk__in=due_clinic_ids(now=now)).order_by("pk")
    count = 0
    for clinic in clinics:
        publish_clinic(clinic)
        count += 1
    return count


def oldest_generation(rows: Iterable[PublishedFile]) -> datetime | None:
    """The manifest's transactionTime: every file listed shows the data as of at least this time."""
    return min((r.generated_at for r in rows), default=None)
