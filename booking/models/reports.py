"""What is reported about a session: the patient's symptom check-ins and the
practitioner's session note."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models.appointments import Appointment


class SideEffect(models.TextChoices):
    """Side effects a patient or practitioner can report, from FACTS.md section 2."""

    BRUISING = "bruising", _("Bruising")
    BLEEDING = "bleeding", _("Bleeding")
    SORENESS = "soreness", _("Soreness or aching")
    PAIN_WORSE = "symptoms_worse", _("My usual pain got worse")
    DROWSINESS = "drowsiness", _("Drowsiness")
    HEADACHE = "headache", _("Headache")
    NAUSEA = "nausea", _("Feeling sick (nausea)")
    FATIGUE = "fatigue", _("Tiredness")
    FAINTING = "fainting", _("Feeling faint or fainting")
    SKIN_INFECTION = "infection_signs", _("Redness, heat, pus or fever at a needle spot")
    NUMBNESS = "numbness", _("Numbness or weakness that lasts")
    BREATHLESSNESS = "breathlessness", _("Shortness of breath or pain when breathing in")
    CHEST_PAIN = "chest_pain", _("New chest pain")


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
        verbose_name = _("symptom report")
        verbose_name_plural = _("symptom reports")
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
    regions = models.JSONField(default=list, help_text=_("Body regions treated"))
    adverse_events = models.JSONField(default=list, blank=True, help_text=_("SideEffect values seen in the session"))
    adverse_events_other = models.TextField(blank=True)
    exercises = models.TextField(blank=True)
    consent_reconfirmed = models.BooleanField(
        default=False, help_text=_("The practitioner confirmed consent in person at the session")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        constraints = [
            models.CheckConstraint(condition=Q(pain_before__lte=10) & Q(pain_after__lte=10), name="note_pain_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"Note for appointment {self.appointment_id}"
