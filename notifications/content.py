"""The words of a message: the clinic's template (or the default one) filled in, in its reader's language.

A clinic's own MessageTemplate wins, then one for every clinic, then the files in
notifications/templates/notifications/<kind>.{subject.txt,txt,html,sms.txt}. Plain
text and subjects are rendered without HTML escaping; HTML with it.

Everything is rendered with the recipient's language active (selectors.recipient_language),
never the worker's. The files are translated through the catalogue, so they exist in every
language. A clinic's wording is used in the reader's language only through a reviewed, up-to-date
translation; otherwise its source is sent as written, with a short notice in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html, linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy

from booking.models import Appointment, SideEffect, SymptomReport
from care.selectors.health import answer_of, later_course_visit
from core import formats
from core.language import html_lang
from notifications import checkin, course_content, offer_content
from notifications.kinds import ABOUT_A_COURSE
from notifications.models import (
    DEFAULT_HEAT_OR_ICE,
    Channel,
    ClinicNotificationSettings,
    Kind,
    MessageTemplate,
    Notification,
)
from notifications.selectors import clinic_id_of, patient_zone, recipient_language

WRAPPER = "notifications/email_base.html"
# What booking records when nobody gave a reason: not worth repeating to the patient.
PLACEHOLDER_REASONS = frozenset({"", "cancelled by patient", "cancelled by staff", "hold_expired"})
# For the notice "We do not have this message in <language> yet": lower case where the language writes them so.
LANGUAGE_NAMES = {
    "en-gb": pgettext_lazy("language name in a sentence", "English"),
    "es": pgettext_lazy("language name in a sentence", "Spanish"),
    "fr": pgettext_lazy("language name in a sentence", "French"),
}
BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    language: str = ""  # the language it is written in


@dataclass(frozen=True)
class Wording:
    subject: Template | None
    text: Template
    html: Template | None  # None: made from the text
    language: str | None = None  # a clinic's wording is in one language; None: the files, in every one


def format_when(moment: datetime, zone: ZoneInfo) -> str:
    """In the active language, e.g. "Tuesday, 3 March 2026, 09:00 (Europe/London)",
    "martes, 8 de diciembre de 2026, 9:00 (Europe/Madrid)"."""
    return f"{formats.full_date_at(moment.astimezone(zone))} ({zone.key})"


class Templates:
    """Looks wording up once per (clinic, kind, channel); keep one per dispatch run."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str, str, str], Wording] = {}

    def get(self, clinic_id: int, kind: str, channel: str, language: str = settings.LANGUAGE_CODE) -> Wording:
        key = (clinic_id, kind, channel, language)
        if key not in self._found:
            self._found[key] = self._load(clinic_id, kind, channel, language)
        return self._found[key]

    def _load(self, clinic_id: int, kind: str, channel: str, language: str) -> Wording:
        overrides = MessageTemplate.objects.filter(
            Q(clinic_id=clinic_id) | Q(clinic__isnull=True), kind=kind, channel=channel, source__isnull=True
        )
        # The clinic's own first, then the one for every clinic.
        own = min(overrides, key=lambda t: t.clinic_id is None, default=None)
        if own is not None:
            chosen = own if own.language == language else (usable_translation(own, language) or own)
            return Wording(
                subject=Template(chosen.subject) if channel == Channel.EMAIL else None,
                text=Template(chosen.text),
                html=Template(chosen.html) if chosen.html.strip() else None,
                language=chosen.language,
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


def usable_translation(source: MessageTemplate, language: str) -> MessageTemplate | None:
    """The source's translation into `language`, if a clinical reviewer reviewed it and it is not out of date."""
    found = source.translations.filter(
        language=language, reviewer__isnull=False, reviewed_at__isnull=False, out_of_date=False
    )
    return found.first()


def missing_notice(language: str, written_in: str) -> str:
    """In the reader's language: this message is not in it yet, here it is in the clinic's."""
    with translation.override(language):
        names = {
            "language": LANGUAGE_NAMES.get(language, language),
            "source": LANGUAGE_NAMES.get(written_in, written_in),
        }
        return gettext("We do not have this message in %(language)s yet; here it is in %(source)s.") % {
            key: str(name) for key, name in names.items()
        }


def render(
    notification: Notification, config: ClinicNotificationSettings, templates: Templates | None = None
) -> Rendered:
    """The message in its reader's language (or, for clinic wording not translated yet, the clinic's)."""
    language = recipient_language(notification)
    clinic_id = clinic_id_of(notification)
    wording = (templates or Templates()).get(clinic_id, notification.kind, notification.channel, language)
    written_in = wording.language or language
    notice = missing_notice(language, written_in) if written_in != language else ""
    with translation.override(written_in):
        rendered = _render(notification, config, wording, notice, language)
    return Rendered(subject=rendered.subject, text=rendered.text, html=rendered.html, language=written_in)


def _render(
    notification: Notification, config: ClinicNotificationSettings, wording: Wording, notice: str, language: str
) -> Rendered:
    # Always set: a name a template asks for and the context lacks is logged with the whole context.
    values = {**context_for(notification, config), "notice": notice, "notice_language": language}
    text = wording.text.render(Context(values, autoescape=False)).strip() + "\n"
    if notice:
        text = f"{notice}\n\n{text}"
    subject = " ".join(wording.subject.render(Context(values, autoescape=False)).split()) if wording.subject else ""
    if notification.channel == Channel.SMS:
        return Rendered(subject="", text=" ".join(text.split()), html="")
    if wording.html is not None:
        html: str = wording.html.render(Context({**values, "subject": subject}))
        if notice:
            html = _with_notice(html, notice, language)
    else:
        # urlize(autoescape=True) escapes every word that is not a link it builds itself.
        escaped = linebreaks(urlize(text.removeprefix(f"{notice}\n\n"), autoescape=True))
        body = mark_safe(escaped)  # noqa: S308  # nosec B308, B703
        wrapper = Engine.get_default().get_template(WRAPPER)
        html = wrapper.render(Context({**values, "body_html": body, "subject": subject}))
    return Rendered(subject=subject, text=text, html=html)


def _with_notice(html: str, notice: str, language: str) -> str:
    """A clinic's own HTML with the notice first in its body (or first of all, if it has no body tag)."""
    paragraph = format_html('<p lang="{}">{}</p>\n', html_lang(language), notice)
    match = BODY.search(html)
    at = match.end() if match else 0
    return html[:at] + paragraph + html[at:]


def context_for(notification: Notification, config: ClinicNotificationSettings) -> dict[str, Any]:
    """What every template may use; MessageTemplate's admin help lists these names.

    A course message (kinds.ABOUT_A_COURSE) adds the names of course_content.values."""
    appointment = notification.appointment
    if notification.offer is not None:
        return offer_content.values(notification)
    if appointment is None:
        return course_content.values(notification, config)
    values = _visit_values(notification, appointment, config)
    if notification.kind in ABOUT_A_COURSE:
        values.update(course_content.values(notification, config))
    return values


def _visit_values(
    notification: Notification, appointment: Appointment, config: ClinicNotificationSettings
) -> dict[str, Any]:
    clinic = appointment.clinic
    to_practitioner = notification.kind == Kind.PRACTITIONER_ALERT
    zone = appointment.clinic.zone if to_practitioner else patient_zone(appointment)
    values: dict[str, Any] = {
        "patient_name": appointment.patient.display_name,
        "practitioner_name": appointment.practitioner.display_name,
        "treatment": appointment.appointment_type.shown_name,
        "needling": appointment.appointment_type.involves_needling,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "clinic_address": clinic.address,
        "when": format_when(appointment.start, zone),
        "ends": formats.clock(appointment.end.astimezone(zone)),
        "zone": zone.key,
        "site_url": settings.SITE_URL,
        "manage_url": _link("booking:appointment", appointment.pk),
        "book_url": _link("booking:treatments"),
        "cancellation_window_hours": clinic.cancellation_window_hours,
        "heat_or_ice_advice": _heat_or_ice(config),
        "checkin_hours": config.checkin_hours,
        "approved": appointment.status in (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED),
        # A needling visit waiting without a consent (moved to another practitioner, or the
        # consent ended): only a new signature lets it go ahead, so the patient must know.
        "must_sign_again": appointment.appointment_type.involves_needling
        and appointment.status == Appointment.Status.PENDING_REVIEW
        and appointment.consent_id is None,
        "reason": "" if appointment.cancel_reason in PLACEHOLDER_REASONS else appointment.cancel_reason,
        "health_url": "",
    }
    if notification.kind in (Kind.PRE_VISIT, Kind.REMINDER):
        # A later visit of a course asks "has anything changed in your health?" first.
        values["health_url"] = _health_question_link(appointment)
    if notification.kind == Kind.CHECKIN:
        values["checkin_url"] = checkin.checkin_url(appointment)
        values["checkin_link_days"] = config.checkin_link_days
    if to_practitioner:
        values.update(_report_values(notification, appointment))
    return values


def _heat_or_ice(config: ClinicNotificationSettings) -> str:
    """The clinic's own advice as written; the default one in the reader's language."""
    advice = config.heat_or_ice_advice
    return gettext(DEFAULT_HEAT_OR_ICE) if advice.strip() == DEFAULT_HEAT_OR_ICE else advice


def _health_question_link(appointment: Appointment) -> str:
    """The course's health question for this visit, while it is still to answer; else ""."""
    if later_course_visit(appointment) is None or answer_of(appointment) is not None:
        return ""
    return _link("care:health-change", appointment.pk)


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
        "side_effects": [str(labels.get(value, value)) for value in (report.side_effects if report else [])],
        "notes": report.notes if report else "",
    }
