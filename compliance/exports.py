"""Exports of signed consents: CSV of a filtered list, a patient's FHIR bundle, and the
access rows that record them. Each export reads and logs in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import Appointment, Clinic, Credential, Practitioner
from compliance import fhir_care, selectors
from consent import csv_export
from consent.fhir.bundle import build_bundle
from consent.fhir.record import (
    AppointmentData,
    ConsentData,
    PatientData,
    PatientRecord,
    PractitionerData,
    QualificationData,
)
from consent.fhir.validation import FhirInvalid
from consent.models import ConsentAccessLog, ConsentExport, QuestionnaireVersion, ScreeningResponse

BATCH = 2000


@dataclass(frozen=True)
class Actor:
    """Who exports, how, and from where: what every access row records."""

    user: User
    role: str
    channel: str
    ip_address: str | None


def record_export(
    consent_ids: Sequence[int],
    *,
    actor: Actor,
    format: ConsentExport.Format,
    include_health_answers: bool,
    filters: dict[str, Any],
) -> ConsentExport:
    """The export's own row and one access row per consent; call inside the reading transaction."""
    export = ConsentExport.objects.create(
        user=actor.user,
        role=actor.role,
        format=format,
        channel=actor.channel,
        include_health_answers=include_health_answers,
        filters=filters,
        consent_count=len(consent_ids),
        ip_address=actor.ip_address,
    )
    _log_exported(consent_ids, actor=actor, export=export)
    return export


def _log_exported(consent_ids: Sequence[int], *, actor: Actor, export: ConsentExport) -> None:
    now = timezone.now()
    if connection.vendor == "postgresql":
        # One statement for any number of rows: an export of 100,000 consents logs in well under a second.
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {ConsentAccessLog._meta.db_table}
                    (consent_id, user_id, role, action, channel, ip_address, at, export_id)
                SELECT consent_id, %s, %s, %s, %s, %s, %s, %s FROM unnest(%s::bigint[]) AS consent_id
                """,  # noqa: S608  # nosec B608 # the table name is ours; every value is a parameter
                [
                    actor.user.pk,
                    actor.role,
                    ConsentAccessLog.Action.EXPORT.value,
                    export.format,
                    actor.ip_address,
                    now,
                    export.pk,
                    list(consent_ids),
                ],
            )
        return
    ConsentAccessLog.objects.bulk_create(
        (
            ConsentAccessLog(
                consent_id=pk,
                user=actor.user,
                role=actor.role,
                action=ConsentAccessLog.Action.EXPORT,
                channel=export.format,
                ip_address=actor.ip_address,
                at=now,
                export=export,
            )
            for pk in consent_ids
        ),
        batch_size=BATCH,
    )


# --- CSV -------------------------------------------------------------------------------------------

# Plain values, not model instances: building 100,000 models (five per row with their
# relations) costs far more than the query.
CSV_FIELDS = (
    "pk",
    "sequence",
    "scope",
    "signed_at",
    "patient__legal_name",
    "patient__user__email",
    "signer_role",
    "typed_name",
    "guardian_relationship",
    "form_version__title",
    "form_version__version",
    "render_context",
    "auth_method",
    "ip_address",
    "row_hash",
    "audit_status",
    "withdrawn_at",
    "language",
)
HEALTH_FIELDS = (
    "screening__questionnaire_version_id",
    "screening__answers",
    "screening__outcome",
    "screening__reasons",
)


def consents_csv(
    query: selectors.ConsentQuery,
    *,
    actor: Actor,
    include_health_answers: bool,
    filters: dict[str, Any],
    now: datetime | None = None,
) -> tuple[str, ConsentExport]:
    now = now or timezone.now()
    fields = CSV_FIELDS + (HEALTH_FIELDS if include_health_answers else ())
    with transaction.atomic():
        consents = list(selectors.consents(query, now=now).values(*fields))
        export = record_export(
            [c["pk"] for c in consents],
            actor=actor,
            format=ConsentExport.Format.CSV,
            include_health_answers=include_health_answers,
            filters=filters,
        )
        questionnaires = (
            list(
                QuestionnaireVersion.objects.filter(pk__in={c["screening__questionnaire_version_id"] for c in consents})
            )
            if include_health_answers
            else []
        )
    clinics = {c.slug: c for c in query.clinics}
    columns = list(csv_export.CONSENT_COLUMNS)
    health = csv_export.HealthColumns(questionnaires) if include_health_answers else None
    if include_health_answers:
        columns += list(csv_export.HEALTH_COLUMNS) + csv_export.answer_columns(questionnaires)
    columns.append(csv_export.LANGUAGE_COLUMN)
    text = csv_export.write_csv((_csv_row(c, clinics[c["scope"]], health) for c in consents), columns)
    return text, export


def _csv_row(row: dict[str, Any], clinic: Clinic, health: csv_export.HealthColumns | None) -> dict[str, Any]:
    signed_at: datetime = row["signed_at"]
    values = {
        "id": row["pk"],
        "sequence": row["sequence"],
        "clinic": clinic.name,
        "signed_at_utc": signed_at.isoformat(),
        "signed_at_local": signed_at.astimezone(clinic.zone).strftime("%Y-%m-%d %H:%M %Z"),
        "status": row["audit_status"],
        "patient_name": row["patient__legal_name"],
        "patient_email": row["patient__user__email"],
        "signer_role": row["signer_role"],
        "typed_name": row["typed_name"],
        "guardian_relationship": row["guardian_relationship"],
        "form": row["form_version__title"],
        "form_version": row["form_version__version"],
        "practitioner": (row["render_context"] or {}).get("practitioner_name", ""),
        "auth_method": row["auth_method"],
        "ip_address": row["ip_address"],
        "withdrawn_at_utc": row["withdrawn_at"].isoformat() if row["withdrawn_at"] else "",
        "row_hash": row["row_hash"],
        # Rows from before translations have "": the clinic's English text, as consent.pdf reads them.
        "language": row["language"] or settings.LANGUAGE_CODE,
    }
    if health is not None:
        values.update(
            health.values(
                row["screening__questionnaire_version_id"],
                row["screening__answers"] or {},
                row["screening__outcome"],
                row["screening__reasons"] or [],
            )
        )
    return values


# --- FHIR ------------------------------------------------------------------------------------------


def patient_bundle(
    patient: Patient, *, clinics: Sequence[Clinic], actor: Actor, now: datetime | None = None
) -> dict[str, Any]:
    """The patient's record at these clinics as a validated FHIR R4B bundle, logged as an export.
    Courses of care come as CarePlan, Goal and Observation resources (compliance.fhir_care)."""
    now = now or timezone.now()
    with transaction.atomic():
        plans = fhir_care.plans_of(patient, clinics)
        record = _patient_record(patient, clinics, now=now, practitioners={p.practitioner_id for p in plans})
        record_export(
            [c.consent.pk for c in record.consents],
            actor=actor,
            format=ConsentExport.Format.FHIR,
            include_health_answers=True,
            filters={"patient": patient.pk, "clinics": [c.slug for c in clinics]},
        )
        bundle = build_bundle(record, extra=fhir_care.care_entries(plans, patient))
        problems = fhir_care.check_care(bundle)
        if problems:
            raise FhirInvalid(problems)
        return bundle


def _patient_record(
    patient: Patient, clinics: Sequence[Clinic], *, now: datetime, practitioners: Iterable[int] = ()
) -> PatientRecord:
    slugs = [c.slug for c in clinics]
    by_slug = {c.slug: c for c in clinics}
    appointments = list(
        Appointment.objects.filter(patient=patient, clinic__in=clinics)
        .select_related("appointment_type")
        .order_by("start", "pk")
    )
    # Annotated with audit_status and withdrawn_at, which the model type does not know.
    consents: list[Any] = list(
        selectors.consents(selectors.ConsentQuery(clinics=clinics), now=now)
        .filter(patient=patient)
        .select_related("screening__questionnaire_version")
    )
    screenings = list(
        ScreeningResponse.objects.filter(patient=patient, questionnaire_version__scope__in=slugs)
        .select_related("questionnaire_version")
        .order_by("created_at", "pk")
    )
    practitioner_of = {a.consent_id: a.practitioner_id for a in appointments if a.consent_id}
    # A plan's practitioner is named by its CarePlan even without a visit of their own.
    practitioner_ids = {a.practitioner_id for a in appointments} | set(practitioners)
    return PatientRecord(
        patient=PatientData(
            id=patient.pk,
            legal_name=patient.legal_name,
            email=patient.user.email,
            birth_date=patient.date_of_birth,
            phone=patient.phone,
        ),
        practitioners=_practitioners(practitioner_ids),
        appointments=[
            AppointmentData(
                id=a.pk,
                status=a.status,
                start=a.start,
                end=a.end,
                treatment=a.appointment_type.name,
                practitioner_id=a.practitioner_id,
                created_at=a.created_at,
                cancel_reason=a.cancel_reason,
            )
            for a in appointments
        ],
        questionnaires=list({s.questionnaire_version_id: s.questionnaire_version for s in screenings}.values()),
        screenings=screenings,
        consents=[
            ConsentData(
                consent=c,
                status=c.audit_status,
                clinic_name=by_slug[c.scope].name,
                practitioner_id=practitioner_of.get(c.pk),
                ended_at=c.withdrawn_at,
            )
            for c in consents
        ],
        generated_at=now,
    )


def _practitioners(ids: Iterable[int]) -> list[PractitionerData]:
    verified = Credential.objects.filter(verified_at__isnull=False).order_by("kind", "-valid_from")
    rows = Practitioner.objects.filter(pk__in=set(ids)).prefetch_related(
        Prefetch("credentials", queryset=verified, to_attr="verified_credentials")
    )
    return [
        PractitionerData(
            id=p.pk,
            name=p.display_name,
            qualifications=tuple(
                QualificationData(
                    kind=c.kind,
                    kind_display=c.get_kind_display(),
                    number=c.number,
                    issuer=c.issuer,
                    jurisdiction=c.jurisdiction,
                    valid_from=c.valid_from,
                    valid_until=c.valid_until,
                )
                for c in p.verified_credentials
            ),
        )
        for p in rows.order_by("pk")
    ]
