"""The words of a message: the clinic's template (or the default one) filled in.

A clinic's own MessageTemplate wins, then one for every clinic, then the files in
notifications/templates/notifications/<kind>.{subject.txt,txt,html,sms.txt}. Plain
text and subjects are rendered without HTML escaping; HTML with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, reverse
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from booking.models import Appointment, SideEffect, SymptomReport
from notifications import checkin
from notifications.models import Channel, ClinicNotificationSettings, Kind, MessageTemplate, Notification
from notifications.selectors import patient_zone

WRAPPER = "notifications/email_base.html"
# What booking records when nobody gave a reason: not worth repeating to the patient.
PLACEHOLDER_REASONS = frozenset({"", "cancelled by patient", "cancelled by staff", "hold_expired"})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Wording:
    subject: Template | None
    text: Template
    html: Template | None  # None: made from the text


def format_when(moment: datetime, zone: ZoneInfo) -> str:
    """e.g. "Tuesday 3 March 2026, 09:00 (Europe/London)"."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} ({zone.key})"


class Templates:
    """Looks wording up once per (clinic, kind, channel); keep one per dispatch run."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str, str], Wording] = {}

    def get(self, clinic_id: int, kind: str, channel: str) -> Wording:
        key = (clinic_id, kind, channel)
        if key not in self._found:
            self._found[key] = self._load(clinic_id, kind, channel)
        return self._found[key]

    def _load(self, clinic_id: int, kind: str, channel: str) -> Wording:
        overrides = MessageTemplate.objects.filter(
            Q(clinic_id=clinic_id) | Q(clinic__isnull=True), kind=kind, channel=channel
        )
        # The clinic's own first, then the one for every clinic.
        own = min(overrides, key=lambda t: t.clinic_id is None, default=None)
        if own is not None:
            return Wording(
                subject=Template(own.subject) if channel == Channel.EMAIL else None,
                text=Template(own.text),
                html=Template(own.html) if own.html.strip() else None,
            )
        engine = Engine.get_default()
        base = f"notifications/{kind}"
        if channel == Channel.SMS:
            return Wording(subject=None, text=engine.get_template(f"{base}.sms.txt"), html=None)
        return Wording(
            subject=engine.get_template(f"{base}.subject.txt"),
            text=engine.get_template(f"{base}.txt"),
            html=engine.get_template(f"{base}.html"),
        )


def render(
    notification: Notification, config: ClinicNotificationSettings, templates: Templates | None = None
) -> Rendered:
    appointment = notification.appointment
    wording = (templates or Templates()).get(appointment.clinic_id, notification.kind, notification.channel)
    values = context_for(notification, config)
    text = wording.text.render(Context(values, autoescape=False)).strip() + "\n"
    subject = " ".join(wording.subject.render(Context(values, autoescape=False)).split()) if wording.subject else ""
    if notification.channel == Channel.SMS:
        return Rendered(subject="", text=" ".join(text.split()), html="")
    if wording.html is not None:
        html = wording.html.render(Context({**values, "subject": subject}))
    else:
        # urlize(autoescape=True) escapes every word that is not a link it builds itself.
        escaped = linebreaks(urlize(text, autoescape=True))
        body = mark_safe(escaped)  # noqa: S308  # nosec B308, B703
        wrapper = Engine.get_default().get_template(WRAPPER)
        html = wrapper.render(Context({**values, "body_html": body, "subject": subject}))
    return Rendered(subject=subject, text=text, html=html)


def context_for(notification: Notification, config: ClinicNotificationSettings) -> dict[str, Any]:
    """What every template may use; MessageTemplate's admin help lists these names."""
    appointment = notification.appointment
    clinic = appointment.clinic
    to_practitioner = notification.kind == Kind.PRACTITIONER_ALERT
    zone = appointment.clinic.zone if to_practitioner else patient_zone(appointment)
    values: dict[str, Any] = {
        "patient_name": appointment.patient.display_name,
        "practitioner_name": appointment.practitioner.display_name,
        "treatment": appointment.appointment_type.name,
        "needling": appointment.appointment_type.involves_needling,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "clinic_address": clinic.address,
        "when": format_when(appointment.start, zone),
        "ends": f"{appointment.end.astimezone(zone):%H:%M}",
        "zone": zone.key,
        "site_url": settings.SITE_URL,
        "manage_url": _link("booking:appointment", appointment.pk),
        "book_url": _link("booking:treatments"),
        "cancellation_window_hours": clinic.cancellation_window_hours,
        "heat_or_ice_advice": config.heat_or_ice_advice,
        "checkin_hours": config.checkin_hours,
        "approved": appointment.status in (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED),
        # A needling visit waiting without a consent (moved to another practitioner, or the
        # consent ended): only a new signature lets it go ahead, so the patient must know.
        "must_sign_again": appointment.appointment_type.involves_needling
        and appointment.status == Appointment.Status.PENDING_REVIEW
        and appointment.consent_id is None,
        "reason": "" if appointment.cancel_reason in PLACEHOLDER_REASONS else appointment.cancel_reason,
    }
    if notification.kind == Kind.CHECKIN:
        values["checkin_url"] = checkin.checkin_url(appointment)
        values["checkin_link_days"] = config.checkin_link_days
    if to_practitioner:
        values.update(_report_values(notification, appointment))
    return values


def _link(name: str, *args: object) -> str:
    """An absolute link to a page, or to the home page if there is no such page."""
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def _report_values(notification: Notification, appointment: Appointment) -> dict[str, Any]:
    reports = SymptomReport.objects.filter(appointment=appointment, red_flag=True).order_by("-created_at", "-id")
    report_id = notification.context.get("report")
    report = (reports.filter(pk=report_id).first() if report_id else None) or reports.first()
    labels = dict(SideEffect.choices)
    patient = appointment.patient
    return {
        "patient_email": patient.user.email,
        "patient_phone": patient.phone,
        "report_time": format_when(report.created_at, appointment.clinic.zone) if report else "",
        "pain_now": report.pain_now if report else None,
        "side_effects": [labels.get(value, value) for value in (report.side_effects if report else [])],
        "notes": report.notes if report else "",
    }
