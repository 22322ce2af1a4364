"""Reading a signed consent: every read leaves an access row in the transaction that reads it,
so no view, API call or download of a consent goes unlogged. The patient's pages and API, the
practitioners' workspace and the audit all read through here."""

from __future__ import annotations

import base64

from django.db import transaction

from accounts.models import User
from consent import documents
from consent.models import ConsentAccessLog, SignedConsent
from consent.pdf import consent_pdf
from consent.services import log_access


def signed_text(consent: SignedConsent, *, user: User, channel: str, ip_address: str | None) -> str:
    """The exact text the patient signed, rebuilt from the form version and what filled its
    blanks; logged as a view."""
    with transaction.atomic():
        log_access(consent, user=user, action=ConsentAccessLog.Action.VIEW, channel=channel, ip_address=ip_address)
        return documents.render_text(consent.shown_canonical(), consent.render_context)


def signed_pdf(consent: SignedConsent, *, user: User, channel: str, ip_address: str | None, zone: str) -> bytes:
    """The consent as a PDF, times shown in `zone`; logged as a download."""
    with transaction.atomic():
        log_access(consent, user=user, action=ConsentAccessLog.Action.DOWNLOAD, channel=channel, ip_address=ip_address)
        return consent_pdf(consent, zone=zone)


def signature_data_uri(consent: SignedConsent) -> str:
    """The drawn signature (already cleaned to plain strokes when signed) for an <img src>."""
    if not consent.signature_svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(consent.signature_svg.encode()).decode()
