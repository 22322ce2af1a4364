"""Which appointments belong to a course, and the health question before each later visit.

booking knows nothing of courses (care sits above it), so the link lives here: one CourseVisit
row per appointment booked for a plan, with its place in the series and, when the series
booking had to move a visit off the patient's chosen weekday and time, why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment
from care.models.plans import CarePlan
from consent.models import ScreeningResponse


class CourseVisit(models.Model):
    class Moved(models.TextChoices):
        NOT_MOVED = "", _("As chosen")
        OTHER_TIME = "other_time", _("Another time the same day")
        OTHER_DAY = "other_day", _("Another day")

    plan = models.ForeignKey(CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="visits")
    appointment = models.OneToOneField(
        Appointment, verbose_name=_("appointment"), on_delete=models.PROTECT, related_name="course_visit"
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    moved = models.CharField(_("moved"), max_length=12, choices=Moved.choices, blank=True, default="")
    # Why, in words for the patient, kept as written when it was proposed (e.g. "Tuesday 14:00 was taken").
    moved_reason = models.CharField(_("why it moved"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("course visit")
        verbose_name_plural = _("course visits")
        ordering = ["plan", "number", "pk"]
        indexes = [models.Index(fields=["plan", "number"])]

    def __str__(self) -> str:
        return f"plan {self.plan_id} visit {self.number}"


class HealthChangeAnswer(models.Model):
    """ "Has anything changed in your health since <date>?", answered before a later visit of a
    course. A yes runs the screening again; its result is kept here and shown to the practitioner."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", _("Nothing changed")
        CLEAR = "clear", _("Changed, screening clear")
        REVIEW = "review", _("Changed, practitioner review needed")
        BLOCKED = "blocked", _("Changed, needling not safe")

    appointment = models.OneToOneField(
        Appointment, verbose_name=_("appointment"), on_delete=models.PROTECT, related_name="health_change"
    )
    plan = models.ForeignKey(CarePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="health_changes")
    since = models.DateField(_("since"), help_text=_("The date the patient was asked about: the last screening."))
    changed = models.BooleanField(_("changed"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    screening = models.ForeignKey(
        ScreeningResponse,
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("health change answer")
        verbose_name_plural = _("health change answers")
        ordering = ["answered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(changed=False, outcome="unchanged")
                | (Q(changed=True, screening__isnull=False) & ~Q(outcome="unchanged")),
                name="health_change_yes_has_screening",
            ),
        ]

    def __str__(self) -> str:
        return f"appointment {self.appointment_id}: {self.outcome}"
