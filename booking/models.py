"""Clinics, practitioners and their schedules, and appointments.

Every instant is stored in UTC. Working hours are local wall-clock rules in the
clinic's zone; booking/availability.py expands them per local date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Patient
from booking.availability import Policy, ServiceSpec
from consent.models import ScreeningResponse, SignedConsent


def validate_zone(value: str) -> None:
    from accounts.validation import validate_time_zone

    validate_time_zone(value)


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, validators=[validate_zone], help_text="IANA zone, e.g. Europe/London")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    jurisdiction = models.CharField(
        max_length=16, help_text="Where practitioners' dry-needling credentials must be valid, e.g. GB, US-FL"
    )
    age_of_majority = models.PositiveSmallIntegerField(default=18, validators=[MaxValueValidator(25)])
    min_notice_minutes = models.PositiveIntegerField(default=120)
    max_advance_days = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1)])
    hold_minutes = models.PositiveIntegerField(default=10, validators=[MinValueValidator(1), MaxValueValidator(120)])
    cancellation_window_hours = models.PositiveIntegerField(default=24)
    slot_step_minutes = models.PositiveIntegerField(
        default=15, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    consent_validity_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="A signed consent covers needling visits for this long, unless withdrawn or superseded.",
    )
    retention_years = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Keep clinical records (consents, screenings, notes) this many years after the patient's last visit.",
    )
    retention_years_after_majority = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="For patients treated as minors: keep records at least until the age of majority plus this many "
        "years, if that is later.",
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="administered_clinics",
        blank=True,
        help_text="Clinic admins who run this clinic and audit its consents",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(slot_step_minutes__gte=5), name="clinic_step_at_least_5_min"),
            models.CheckConstraint(condition=Q(hold_minutes__gte=1), name="clinic_hold_at_least_1_min"),
            models.CheckConstraint(condition=Q(max_advance_days__gte=1), name="clinic_advance_at_least_1_day"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def policy(self) -> Policy:
        return Policy(
            min_notice=timedelta(minutes=self.min_notice_minutes),
            max_advance=timedelta(days=self.max_advance_days),
            step=timedelta(minutes=self.slot_step_minutes),
        )

    def consent_valid_since(self, visit: datetime) -> datetime:
        """Consents signed after this instant still cover a visit at `visit`."""
        return visit - relativedelta(months=self.consent_validity_months)

    @property
    def hold_duration(self) -> timedelta:
        return timedelta(minutes=self.hold_minutes)

    @property
    def cancellation_window(self) -> timedelta:
        return timedelta(hours=self.cancellation_window_hours)


class AppointmentType(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointment_types")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(5), MaxValueValidator(480)])
    buffer_before_minutes = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(120)])
    buffer_after_minutes = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(120)])
    involves_needling = models.BooleanField(
        default=False, help_text="Needling needs a screening, a signed consent and a credentialled practitioner."
    )
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["clinic", "position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="type_duration_at_least_5_min"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.duration_minutes} min)"

    @property
    def service(self) -> ServiceSpec:
        return ServiceSpec(
            duration=timedelta(minutes=self.duration_minutes),
            buffer_before=timedelta(minutes=self.buffer_before_minutes),
            buffer_after=timedelta(minutes=self.buffer_after_minutes),
        )


class Practitioner(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner")
    display_name = models.CharField(max_length=120)
    bio = models.TextField(blank=True)
    clinics = models.ManyToManyField(Clinic, related_name="practitioners")
    appointment_types = models.ManyToManyField(AppointmentType, related_name="practitioners", blank=True)
    active = models.BooleanField(default=True)
    # The secret calendar-feed address is shown once; only its sha256 is kept, so
    # a copy of the database does not hand out working feed URLs.
    feed_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    feed_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class Credential(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence to practise"
        DRY_NEEDLING = "dry_needling", "Dry-needling certification"
        REGISTRATION = "registration", "Registration"

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.CharField(max_length=16)
    number = models.CharField(max_length=64)
    issuer = models.CharField(max_length=200)
    training_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Total hours of training")
    in_person_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Hours of face-to-face training")
    supervised_sessions = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Blank if it does not expire")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["practitioner", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="credential_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False),
                name="credential_verified_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.jurisdiction})"

    def covers(self, day: date, jurisdiction: str) -> bool:
        """Is this a verified dry-needling credential valid there on that day?"""
        return (
            self.kind == self.Kind.DRY_NEEDLING
            and self.verified_at is not None
            and self.jurisdiction == jurisdiction
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class WorkingHours(models.Model):
    """A weekly rule: on this weekday, from start to end local time. Several a day make breaks."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ]
    )
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="hours_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["practitioner", "start"]
        verbose_name_plural = "time off"
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="time_off_end_after_start")]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "Held"
        PENDING_REVIEW = "pending_review", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"

    # Statuses that occupy the practitioner's time. The database's exclusion
    # constraints (migration 0002, PostgreSQL) use exactly this list.
    LIVE = (Status.HELD, Status.PENDING_REVIEW, Status.CONFIRMED)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="appointments")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # start - buffer before and end + buffer after, stored: an exclusion
    # constraint needs an immutable expression, and timestamptz - interval is not.
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    time_zone = models.CharField(max_length=64, help_text="The clinic's zone when booked")
    # NULL, not "", means "no key", so the partial unique constraint ignores it.
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001
    # For needling: the screening answered for this visit and the consent that covers it.
    screening = models.ForeignKey(ScreeningResponse, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(
        SignedConsent, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["practitioner", "blocked_start"], name="appt_practitioner_start"),
            models.Index(fields=["patient", "start"], name="appt_patient_start"),
            models.Index(fields=["status", "hold_expires_at"], name="appt_status_hold"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="appt_end_after_start"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=models.F("start")) & Q(blocked_end__gte=models.F("end")),
                name="appt_blocked_covers_visit",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False), name="appt_hold_has_expiry"
            ),
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="appt_idempotency_key_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type.name} {self.start:%Y-%m-%d %H:%M} UTC ({self.status})"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class AuditEvent(models.Model):
    """Common shape of booking's append-only audit rows: what, who, when, details.
    Subclasses add the subject (an appointment, a practitioner) and their Action enum."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {getattr(self, 'action', '')}"


class AppointmentEvent(AuditEvent):
    """Append-only audit of everything that happens to an appointment."""

    class Action(models.TextChoices):
        HELD = "held"
        CONFIRMED = "confirmed"
        SENT_FOR_REVIEW = "sent_for_review"
        DECLINED = "declined"
        CANCELLED = "cancelled"
        HOLD_EXPIRED = "hold_expired"
        CONSENT_LINKED = "consent_linked"
        CONSENT_ENDED = "consent_ended"
        RESCHEDULED = "rescheduled"
        COMPLETED = "completed"
        NO_SHOW = "no_show"
        ARRIVED = "arrived"
        NOTE_RECORDED = "note_recorded"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)


class SideEffect(models.TextChoices):
    """Side effects a patient or practitioner can report, from FACTS.md section 2."""

    BRUISING = "bruising", "Bruising"
    BLEEDING = "bleeding", "Bleeding"
    SORENESS = "soreness", "Soreness or aching"
    PAIN_WORSE = "symptoms_worse", "My usual pain got worse"
    DROWSINESS = "drowsiness", "Drowsiness"
    HEADACHE = "headache", "Headache"
    NAUSEA = "nausea", "Feeling sick (nausea)"
    FATIGUE = "fatigue", "Tiredness"
    FAINTING = "fainting", "Feeling faint or fainting"
    SKIN_INFECTION = "infection_signs", "Redness, heat, pus or fever at a needle spot"
    NUMBNESS = "numbness", "Numbness or weakness that lasts"
    BREATHLESSNESS = "breathlessness", "Shortness of breath or pain when breathing in"
    CHEST_PAIN = "chest_pain", "New chest pain"


# Reported after needling, these can mean a collapsed lung: emergency care, now.
RED_FLAGS = frozenset({SideEffect.BREATHLESSNESS, SideEffect.CHEST_PAIN})


class SymptomReport(models.Model):
    """A patient's check-in after a session: pain now and any side effects."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="symptom_reports")
    pain_now = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    side_effects = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    red_flag = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=Q(pain_now__lte=10), name="symptoms_pain_0_to_10")]

    def __str__(self) -> str:
        return f"Check-in {self.created_at:%Y-%m-%d} pain {self.pain_now}"


class SessionNote(models.Model):
    """What the practitioner recorded about a session (FACTS.md sections 2 and 6)."""

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="session_note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pain_before = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    pain_after = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    regions = models.JSONField(default=list, help_text="Body regions treated")
    adverse_events = models.JSONField(default=list, blank=True, help_text="SideEffect values seen in the session")
    adverse_events_other = models.TextField(blank=True)
    exercises = models.TextField(blank=True)
    consent_reconfirmed = models.BooleanField(
        default=False, help_text="The practitioner confirmed consent in person at the session"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pain_before__lte=10) & Q(pain_after__lte=10), name="note_pain_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"Note for appointment {self.appointment_id}"


class PractitionerEvent(AuditEvent):
    """Append-only audit of changes to a practitioner's schedule and calendar feed."""

    class Action(models.TextChoices):
        HOURS_CHANGED = "hours_changed"
        TIME_OFF_ADDED = "time_off_added"
        TIME_OFF_REMOVED = "time_off_removed"
        FEED_ROTATED = "feed_rotated"
        FEED_REVOKED = "feed_revoked"
        CREDENTIAL_EXPIRY_NOTICE = "credential_expiry_notice"

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)


class CredentialExpiryNotice(models.Model):
    """The clinic admins' email that a dry-needling credential is about to expire.

    One row per credential and expiry date: the daily check sends each at most
    once, and a renewal with a new date is warned about again when its time comes."""

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="expiry_notices")
    valid_until = models.DateField()
    recipients = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="A worker is sending it (a lease)")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "valid_until"], name="one_expiry_notice_per_date"),
        ]

    def __str__(self) -> str:
        return f"Expiry notice for credential {self.credential_id} ({self.valid_until})"


class ErasureRequest(models.Model):
    """A patient's request to be forgotten, as carried out: what was anonymised and
    what the clinic must keep, and until when. Append-only (migration 0006)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(help_text="When the patient asked")
    carried_out_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text="How the request came in, e.g. email of 3 March")
    anonymised = models.JSONField(help_text="List of {what, detail}: what was anonymised or revoked")
    kept = models.JSONField(help_text="List of {what, clinic, count, until, reason}: records kept, and until when")
    cancelled_appointments = models.JSONField(default=list, help_text="Ids of future appointments cancelled")

    class Meta:
        ordering = ["-carried_out_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure for patient {self.patient_id} ({self.carried_out_at:%Y-%m-%d})"
