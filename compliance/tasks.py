"""Beat job: verify the consent hash chain every week and tell the clinic admins if it broke.

Registered as `booking.audit.verify_consent_chain`, its name from before it moved here, so
the beat schedule and any queued call keep working; Celery's autodiscovery finds it here."""

from __future__ import annotations

from datetime import UTC

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from compliance import integrity
from consent.models import ChainVerification
from core import formats
from core.language import supported


@shared_task(name="booking.audit.verify_consent_chain", ignore_result=True)
def verify_consent_chain() -> bool:
    """Safe to run twice: each run is its own record, and a break is reported each time it is found."""
    run = integrity.run_verification(trigger=ChainVerification.Trigger.SCHEDULE)  # committed on return
    if not run.ok:
        email_admins_about(run)
    return run.ok


def admins_to_tell() -> list[User]:
    """Every active clinic admin of any clinic: the chain spans all of them."""
    return list(
        User.objects.filter(role=User.Role.CLINIC_ADMIN, is_active=True, administered_clinics__isnull=False)
        .distinct()
        .order_by("pk")
    )


def email_admins_about(run: ChainVerification) -> int:
    """One message per admin, naming only the breaks in their clinics' chains (another clinic's
    consent ids and counts are that clinic's business); no health data in it. Each is written in
    the admin's own language (the worker's is not theirs)."""
    messages = [_message(run, admin) for admin in admins_to_tell()]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _message(run: ChainVerification, admin: User) -> EmailMessage:
    with translation.override(supported(admin.language)):
        subject = _("Acus: a signed consent failed its integrity check")
        return EmailMessage(subject, _body(run, admin), to=[admin.email])


def _body(run: ChainVerification, admin: User) -> str:
    slugs = list(admin.administered_clinics.values_list("slug", flat=True))
    failure = integrity.failure_for(run, slugs)
    assert failure is not None  # only failed runs are emailed
    when = _("%(when)s UTC") % {"when": formats.short_date_at(run.finished_at.astimezone(UTC))}
    link = f"{settings.SITE_URL}{reverse('audit:integrity')}"
    report = _("The integrity report: %(link)s") % {"link": link}
    if failure.elsewhere:
        found = _("The weekly check of signed consents on %(when)s found a broken link in %(where)s.")
        paragraphs = [
            found % {"when": when, "where": failure.describe()},
            _("Your clinics' signed consents are not affected; that clinic's admins have been told."),
            report,
        ]
    else:
        paragraphs = [
            _("The weekly check of signed consents found a problem on %(when)s.") % {"when": when},
            _("First broken link: %(where)s.") % {"where": failure.describe()},
            _(
                "A signed record was changed or removed outside Acus. Records after it can no longer be shown "
                "to be untouched. Keep the database as it is, and check its backups and access."
            ),
            report,
        ]
    return "\n\n".join(paragraphs) + "\n"
