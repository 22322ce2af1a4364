"""The notification outbox and what a clinic can tune about it.

One Notification row per message: written in the same transaction as the booking
change that causes it, then claimed and sent by notifications/dispatch.py. The row
is the only record of a message; nothing waits in the broker."""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template import Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment, Clinic
from notifications.kinds import Channel, Kind

__all__ = ["Channel", "ClinicNotificationSettings", "Kind", "MessageTemplate", "Notification"]


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped")

    # A message about a visit names it; one about a course (kinds.ABOUT_A_COURSE) names the plan,
    # and a daily one (the exercise reminder) the day it is for, which keeps it to one a day.
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    appointment_version = models.PositiveIntegerField(verbose_name=_("appointment version"), default=0)
    plan = models.ForeignKey(
        "care.CarePlan",
        verbose_name=_("plan of care"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    for_day = models.DateField(verbose_name=_("for day"), null=True, blank=True)
    # A waitlist offer (kinds.WAITLIST_OFFER) names the offer: the time it offers is not booked yet.
    offer = models.ForeignKey(
        "waitlist.Offer",
        verbose_name=_("waitlist offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=24, choices=Kind.choices)
    channel = models.CharField(verbose_name=_("channel"), max_length=8, choices=Channel.choices)
    due_at = models.DateTimeField(verbose_name=_("due at"))
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(
        verbose_name=_("attempts"), default=0, help_text=_("Sends started, including one that died")
    )
    next_attempt_at = models.DateTimeField(
        verbose_name=_("next attempt at"), help_text=_("When a pending row may be claimed next")
    )
    leased_by = models.CharField(verbose_name=_("leased by"), max_length=120, blank=True)
    leased_until = models.DateTimeField(
        verbose_name=_("leased until"), null=True, blank=True, help_text=_("Another worker may take it after this")
    )
    last_error = models.TextField(verbose_name=_("last error"), blank=True)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)
    # Facts the message needs that the appointment does not hold, e.g. the symptom report of an alert.
    context = models.JSONField(verbose_name=_("context"), default=dict, blank=True)
    # The language the message was written in when it was sent (blank until then), for the record.
    language = models.CharField(verbose_name=_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "appointment_version", "kind", "channel"], name="notification_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(appointment__isnull=False) | Q(plan__isnull=False) | Q(offer__isnull=False),
                name="notification_has_subject",
            ),
            models.UniqueConstraint(
                fields=["offer", "kind", "channel"],
                condition=Q(offer__isnull=False),
                name="notification_once_per_offer",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "channel"],
                condition=Q(kind="book_next"),
                name="notification_book_next_once_per_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "channel", "for_day"],
                condition=Q(plan__isnull=False, for_day__isnull=False),
                name="notification_once_a_day_per_plan",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(leased_until__isnull=False), name="notification_sending_has_lease"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["status", "leased_until"], name="notification_lease"),
        ]

    def __str__(self) -> str:
        if self.appointment_id is None:
            return f"{self.kind} ({self.channel}), plan {self.plan_id} {self.for_day or ''}".rstrip()
        return f"{self.kind} ({self.channel}), appointment {self.appointment_id} v{self.appointment_version}"


# Stored as written; messages translate it while a clinic keeps it unchanged (notifications.content).
DEFAULT_HEAT_OR_ICE = gettext_noop(
    "Advice differs on heat or ice for sore spots. Use whichever feels better for you, "
    "or ask your practitioner at your next visit."
)


class ClinicNotificationSettings(models.Model):
    """When each message goes, for one clinic. A clinic without a row uses the defaults."""

    clinic = models.OneToOneField(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="notification_settings"
    )
    pre_visit_hours = models.PositiveIntegerField(
        verbose_name=_("pre visit hours"), default=48, validators=[MaxValueValidator(24 * 14)]
    )
    reminder_email_hours = models.PositiveIntegerField(
        verbose_name=_("reminder email hours"), default=24, validators=[MaxValueValidator(24 * 14)]
    )
    reminder_sms_hours = models.PositiveIntegerField(
        verbose_name=_("reminder sms hours"), default=2, validators=[MaxValueValidator(24 * 7)]
    )
    aftercare_minutes = models.PositiveIntegerField(
        verbose_name=_("aftercare minutes"),
        default=60,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("After the end of the visit"),
    )
    checkin_hours = models.PositiveIntegerField(
        verbose_name=_("checkin hours"),
        default=48,
        validators=[MaxValueValidator(24 * 30)],
        help_text=_("After the end of the visit"),
    )
    quiet_start = models.TimeField(
        verbose_name=_("quiet start"), default=time(21, 0), help_text=_("No text messages from this local time ...")
    )
    quiet_end = models.TimeField(
        verbose_name=_("quiet end"), default=time(8, 0), help_text=_("... until this one, in the patient's zone")
    )
    max_attempts = models.PositiveSmallIntegerField(
        verbose_name=_("max attempts"), default=8, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    checkin_link_days = models.PositiveSmallIntegerField(
        verbose_name=_("checkin link days"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How long a check-in link works"),
    )
    heat_or_ice_advice = models.TextField(
        verbose_name=_("heat or ice advice"),
        default=DEFAULT_HEAT_OR_ICE,
        help_text=_("Sources disagree on heat or ice: say what this clinic advises"),
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [models.CheckConstraint(condition=Q(max_attempts__gte=1), name="notify_max_attempts_at_least_1")]

    def __str__(self) -> str:
        return gettext("Notification settings of %(clinic)s") % {"clinic": self.clinic}

    @property
    def checkin_link_age(self) -> timedelta:
        return timedelta(days=self.checkin_link_days)


TEMPLATE_HELP = format_lazy(
    "{} {}",
    _(
        "Names you can use: patient_name, practitioner_name, treatment, needling, clinic_name, clinic_phone, "
        "clinic_email, clinic_address, when (e.g. Tuesday, 3 March 2026, 09:00 (Europe/London)), ends, zone, "
        "manage_url, book_url, site_url, cancellation_window_hours, heat_or_ice_advice, checkin_hours; reason and "
        "approved (review outcome, cancellation); must_sign_again (reschedule: the visit needs a new signature); "
        "checkin_url and checkin_link_days (check-in); patient_email, "
        "patient_phone, report_time, pain_now, side_effects and notes (practitioner alert)."
    ),
    _('The default texts include "notifications/includes/red_flags.txt" (and .html) for the red flags.'),
)
# Said apart, so the long sentence above and its translations stay as they are.
TEMPLATE_HELP = format_lazy(
    "{} {}",
    TEMPLATE_HELP,
    _(
        "Course messages also have sessions_left, sessions_planned, book_series_url and course_url "
        "(book your next session); day, exercises, exercises_url and stop_url (exercise reminder)."
    ),
)


class MessageTemplate(models.Model):
    """A clinic's wording for one kind of message (or every clinic's, when clinic is empty).

    Django template syntax. Without one, the texts in notifications/templates/notifications/ are used.
    A source row is written in the clinic's language; a translation row points at its source and is
    used only once a clinical reviewer has reviewed it and its source has not changed since
    (notifications/wording.py marks it out of date when the source is published again)."""

    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: every clinic without its own"),
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=24, choices=Kind.choices)
    channel = models.CharField(verbose_name=_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("A source is in its clinic's language; a translation in the language it translates into."),
    )
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("source"),
        help_text=_("Empty for the clinic's own wording; for a translation, the wording it translates."),
    )
    subject = models.CharField(verbose_name=_("subject"), max_length=200, blank=True, help_text=_("Email only"))
    text = models.TextField(
        verbose_name=_("text"),
        help_text=format_lazy("{} {}", _("The plain-text body (or the whole text message)."), TEMPLATE_HELP),
    )
    html = models.TextField(
        verbose_name=_("html"), blank=True, help_text=_("Email only; empty: made from the plain text")
    )
    translator = models.CharField(_("translator"), max_length=200, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clinical reviewer"),
    )
    reviewed_at = models.DateTimeField(_("review date"), null=True, blank=True)
    out_of_date = models.BooleanField(
        _("out of date"), default=False, help_text=_("Its source changed after the review: review it again.")
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "channel", "clinic", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "kind", "channel", "language"],
                condition=Q(clinic__isnull=False),
                name="template_once_per_clinic",
            ),
            models.UniqueConstraint(
                fields=["kind", "channel", "language"],
                condition=Q(clinic__isnull=True),
                name="template_once_for_all_clinics",
            ),
            # One source wording per clinic (or for all clinics), whatever its language.
            models.UniqueConstraint(
                fields=["clinic", "kind", "channel"],
                condition=Q(clinic__isnull=False, source__isnull=True),
                name="template_one_source_per_clinic",
            ),
            models.UniqueConstraint(
                fields=["kind", "channel"],
                condition=Q(clinic__isnull=True, source__isnull=True),
                name="template_one_source_for_all_clinics",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | Q(reviewed_at__isnull=False), name="template_review_has_date"
            ),
        ]

    def __str__(self) -> str:
        where = self.clinic or gettext("all clinics")
        names = {"kind": self.get_kind_display(), "channel": self.channel, "where": where}
        if self.source_id is None:
            return gettext("%(kind)s (%(channel)s) for %(where)s") % names
        return gettext("%(kind)s (%(channel)s) for %(where)s, %(language)s translation") % {
            **names,
            "language": self.language,
        }

    @property
    def usable(self) -> bool:
        """A translation patients may read: reviewed by a clinical reviewer, and not out of date."""
        return self.reviewer_id is not None and self.reviewed_at is not None and not self.out_of_date

    def clean(self) -> None:
        for field in ("subject", "text", "html"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as exc:
                raise ValidationError({field: _("Template error: %(error)s") % {"error": exc}}) from exc
        if self.channel == Channel.EMAIL and not self.subject.strip():
            raise ValidationError({"subject": _("An email needs a subject.")})
        self.settle()
        source = self.source
        if source is not None:
            if source.source_id is not None:
                raise ValidationError({"source": _("Translate the source wording, not another translation.")})
            if source.language == self.language:
                raise ValidationError({"language": _("A translation is in another language than its source.")})

    def settle(self) -> None:
        """What follows from the source: a translation has its clinic, kind and channel, and a
        source is written in its clinic's language (the site's, for wording every clinic shares)."""
        source = self.source
        if source is not None:
            self.clinic_id, self.kind, self.channel = source.clinic_id, source.kind, source.channel
        else:
            self.language = self.clinic.language if self.clinic is not None else settings.LANGUAGE_CODE
